/**
 * The room-creation chunk (widget/lazy.ts): loaded when someone first creates
 * a room, never with the main script, as most visitors join rooms others made.
 * It does POST /rooms from the widget, signed in when the host gave a token: the
 * token goes as `Authorization: Bearer`, and a refused token is replaced once
 * (never more) by asking the token source again (token.ts). The request
 * claims the room for the user's key (protocol/moderation.ts, OwnerClaim):
 * whoever holds that key owns the room and may moderate it. A server that
 * asks anonymous creators for a proof of work answers with a challenge: it is
 * solved and the request sent again with the solution, at most twice (a
 * challenge gone stale while solving gets a fresh one once).
 */
import type { OwnerClaim } from '../../protocol/moderation.js';
import type { CreationWork } from '../pow/index.js';
import { isTokenRefusal, RefusedTokenOnce, type TokenSource } from '../token.js';

export class CreateRoomError extends Error {
  constructor(
    /** A code from docs/errors.md, or `cannot-connect`. */
    readonly code: string,
    readonly temporary: boolean,
  ) {
    super(code);
  }
}

export interface CreateRoomOptions {
  /** Ask for a room only signed-in people may join (needs a token). */
  readonly requireAuth: boolean;
  readonly token: TokenSource;
  /** The work a refusal asks for (pow/work.ts): none for a fresh challenge; rejects when the user cancels. */
  readonly work: (refusal: object) => Promise<CreationWork | undefined>;
  /** The claim, at `ts` (server time) or now, that makes the user's key the room's owner (the moderation chunk's). */
  readonly claim: (ts?: number) => Promise<OwnerClaim>;
}

async function post(
  server: string,
  token: string | undefined,
  requireAuth: boolean,
  owner: OwnerClaim,
  pow?: CreationWork,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  // Work is only asked of anonymous creators, who cannot ask for requireAuth: never both.
  const body = { owner, ...(requireAuth ? { requireAuth } : pow ? { pow } : {}) };
  try {
    return await fetch(new URL('/rooms', server), {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
  } catch {
    throw new CreateRoomError('cannot-connect', true);
  }
}

/** Creates a room and gives its id; throws CreateRoomError. */
export async function createRoom(server: string, options: CreateRoomOptions): Promise<string> {
  const tokens = new RefusedTokenOnce(options.token);
  let token = await tokens.current();
  let pow: CreationWork | undefined;
  let worked = 0;
  let at: number | undefined;
  for (;;) {
    const res = await post(server, token, options.requireAuth, await options.claim(at), pow);
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 201 && typeof body.roomId === 'string') return body.roomId;
    const code = typeof body.code === 'string' ? body.code : 'cannot-connect';
    // Required, then (a challenge stale after solving) invalid, then required once more: at most two solves.
    if (code.startsWith('proof-of-work-') && worked++ < 3) {
      pow = await options.work(body);
      continue;
    }
    // This device's clock is off: the claim goes once more, stamped with the server's time.
    // (A missing serverTime makes `at` NaN: no second try.)
    if (code === 'no-owner-claim' && !at && (at = Number(body.serverTime))) continue;
    const fresh = isTokenRefusal(code) ? await tokens.replace(code) : undefined;
    if (fresh === undefined) throw new CreateRoomError(code, body.temporary === true);
    token = fresh;
  }
}
