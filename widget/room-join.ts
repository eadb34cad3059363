/**
 * The rules of a room socket's join handshake (room-socket.ts runs it):
 * `hello` → sign its nonce (and, when asked, pay its proof of work) → `join`
 * → `welcome`, or an `error` with `ref: 'join'` that these rules sort into
 * "try again", "ask for a new token" or "give up". They live apart from the
 * socket so that what a join carries and which refusals are final can be read
 * in one place, without the dialling, backoff and frame dispatch around them.
 *
 * When `hello` asks for a proof of work, a first anonymous join pays it up
 * front (a key welcomed here before holds its name, so its rejoins do not); a
 * join refused for want of work is solved and sent again once per socket,
 * after which the socket dials afresh rather than loop.
 *
 * Nothing here sends or keeps state: a join frame must only ever go out on
 * the socket whose `hello` it answers, which only the socket can tell.
 */
import { publicKeyOf, type Identity } from './keys.js';

/** Join errors after which retrying the same join cannot succeed. */
export const FATAL_JOIN = new Set([
  'room-not-found',
  'room-expired',
  'name-invalid',
  'name-unavailable',
  'bad-key',
  'bad-proof',
  'kicked',
  'banned',
  'room-locked',
]);

/** Close codes from 4410 on that end the visit for good: the room closed or ended, or a moderator removed this member. */
export const CLOSED_BY = ['room-closed', 'room-ended', '', 'kicked', 'banned'];

export function socketUrl(server: string): string {
  const url = new URL('/ws', server);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** Who joins: the room, the name to join with, and the key that signs. */
export interface Joiner {
  readonly roomId: string;
  readonly name: string;
  readonly identity: Identity;
}

/** The `join` frame: the signed proof, a token or work when there is one, and `since` for a resume (resume.ts). */
export function joinFrame(
  { identity, roomId, name }: Joiner,
  proof: string | undefined,
  since: object,
  token: string | undefined,
  pow?: string,
): string {
  // JSON leaves out a field whose value is undefined: no token, no work, no `token` or `pow` field.
  return JSON.stringify({ type: 'join', roomId, name, key: publicKeyOf(identity), proof, token, pow, ...since });
}
