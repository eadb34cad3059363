/**
 * POST /rooms from the widget, signed in when the host gave a token: the
 * token goes as `Authorization: Bearer`, and a refused token is replaced once
 * (never more) by asking the token source again (token.ts). The request
 * claims the room for the user's key (protocol/moderation.ts, OwnerClaim):
 * whoever holds that key owns the room and may moderate it.
 */
import { ownerSigningBytes } from '../protocol/moderation-bytes.js';
import { publicKeyOf, type Identity } from './keys.js';
import { sign } from './signing.js';
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
  /** The key that will own the room. */
  readonly owner: Identity;
}

async function post(server: string, token: string | undefined, options: CreateRoomOptions): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  // Signed afresh for every request, so a retry's claim is as fresh as the request.
  const ts = Date.now();
  const owner = { key: publicKeyOf(options.owner), ts, proof: await sign(options.owner, ownerSigningBytes(ts)) };
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
  for (;;) {
    const res = await post(server, token, options);
    const body = (await res.json().catch(() => ({}))) as { roomId?: unknown; code?: unknown; temporary?: unknown };
    if (res.status === 201 && typeof body.roomId === 'string') return body.roomId;
    const code = typeof body.code === 'string' ? body.code : 'cannot-connect';
    const fresh = isTokenRefusal(code) ? await tokens.replace(code) : undefined;
    if (fresh === undefined) throw new CreateRoomError(code, body.temporary === true);
    token = fresh;
  }
}
