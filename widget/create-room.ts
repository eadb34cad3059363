/**
 * POST /rooms from the widget, signed in when the host gave a token: the
 * token goes as `Authorization: Bearer`, and a refused token is replaced once
 * (never more) by asking the token source again (token.ts). The request
 * claims the room for the user's key (protocol/moderation.ts, OwnerClaim):
 * whoever holds that key owns the room and may moderate it.
 */
import type { OwnerClaim } from '../protocol/moderation.js';
import { isTokenRefusal, RefusedTokenOnce, type TokenSource } from './token.js';

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
  /** The claim, at `ts` (server time) or now, that makes the user's key the room's owner (the moderation chunk's). */
  readonly claim: (ts?: number) => Promise<OwnerClaim>;
}

async function post(
  server: string,
  token: string | undefined,
  options: CreateRoomOptions,
  owner: OwnerClaim,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  try {
    return await fetch(new URL('/rooms', server), {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...(options.requireAuth ? { requireAuth: true } : {}), owner }),
    });
  } catch {
    throw new CreateRoomError('cannot-connect', true);
  }
}

/** Creates a room and gives its id; throws CreateRoomError. */
export async function createRoom(server: string, options: CreateRoomOptions): Promise<string> {
  const tokens = new RefusedTokenOnce(options.token);
  let token = await tokens.current();
  let at: number | undefined;
  for (;;) {
    const res = await post(server, token, options, await options.claim(at));
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 201 && typeof body.roomId === 'string') return body.roomId;
    const code = typeof body.code === 'string' ? body.code : 'cannot-connect';
    // This device's clock is off: the claim goes once more, stamped with the server's time.
    // (A missing serverTime makes `at` NaN: no second try.)
    if (code === 'no-owner-claim' && !at && (at = Number(body.serverTime))) continue;
    const fresh = isTokenRefusal(code) ? await tokens.replace(code) : undefined;
    if (fresh === undefined) throw new CreateRoomError(code, body.temporary === true);
    token = fresh;
  }
}
