/**
 * The checks and storage steps of a `join`, in order: the key and its proof
 * over this socket's nonce, the room, the signed-in identity, the name and
 * its pin; then the snapshot of messages the welcome carries.
 *
 * Must never: pin a name before the proof verified, or hand out a snapshot
 * that claims to resume across a gap.
 */
import type { MessagePage, NotLive, Room } from '../../adapters/types.js';
import { joinSigningBytes } from '../../protocol/canonical.js';
import { ChatError } from '../../protocol/errors.js';
import type { JoinFrame, PublicKey, WelcomeFrame } from '../../protocol/frames.js';
import { normalizeName } from '../../protocol/names.js';
import type { Context } from '../context.js';
import { nameCandidates } from '../names.js';
import { joinIdentity } from '../access.js';
import { importKey, verifySignature } from '../verify/keys.js';

/** Why a signed-in join is refused when its key was pinned by another identity (not a name clash). */
const KEY_OF_ANOTHER = 'This key is bound to another signed-in identity in this room.';

/** Who a join admitted, to which room (as read before the name was pinned). */
export interface Admission {
  readonly room: Room;
  readonly name: string;
  readonly key: PublicKey;
  /** Whose message budget the socket spends: the verified subject, else the public key. */
  readonly user: string;
}

export async function admit(ctx: Context, nonce: string, frame: JoinFrame): Promise<Admission> {
  const verifyKey = importKey(frame.key);
  if (!verifyKey) throw new ChatError('bad-key');
  const { alg, pub } = frame.key;
  const proofBytes = joinSigningBytes({ roomId: frame.roomId, nonce, alg, pub });
  if (!verifySignature(verifyKey, proofBytes, frame.proof)) throw new ChatError('bad-proof');
  const { storage, clock } = ctx.options;
  const target = await storage.getRoom(frame.roomId, clock.now());
  if (target.status !== 'live') throw notLive(target);
  // A signed-in member is shown under the name its issuer vouches for, and its key is bound to it.
  const identity = await joinIdentity(ctx.security, frame.token, target.room);
  if (identity === undefined && ctx.security.pow.on)
    await ctx.security.pow.admitJoin(storage, frame, nonce, clock.now());
  const wished = normalizeName(identity?.name ?? frame.name);
  if (!wished) throw new ChatError('name-invalid');

  const bound = await storage.bindName(
    frame.roomId,
    { key: frame.key, candidates: nameCandidates(wished), subject: identity?.subject },
    clock.now(),
  );
  if (bound.status !== 'bound') {
    if (bound.status === 'names-taken') throw new ChatError('name-unavailable');
    if (bound.status === 'subject-mismatch') throw new ChatError('name-unavailable', KEY_OF_ANOTHER);
    if (bound.status === 'banned') throw new ChatError('banned');
    if (bound.status === 'kicked') {
      throw new ChatError('kicked', undefined, { retryAfterMs: Math.max(1, bound.until - clock.now()) });
    }
    if (bound.status === 'locked') throw new ChatError('room-locked');
    throw notLive(bound);
  }
  return { room: target.room, name: bound.name, key: { alg, pub }, user: identity?.subject ?? `${alg}:${pub}` };
}

export type Snapshot = MessagePage & { readonly resume: WelcomeFrame['resume'] };

/**
 * Exactly the messages after `since` when storage still holds them all and,
 * when the client names the `chain` it holds at `since`, storage's message
 * there has that link; else the latest page and why.
 */
export async function snapshot(ctx: Context, roomId: string, since?: number, chain?: string): Promise<Snapshot> {
  const { storage, clock, limits } = ctx.options;
  let resume: WelcomeFrame['resume'] = 'fresh';
  if (since !== undefined) {
    // Read from `since` itself when there is a link to compare it with.
    const from = chain !== undefined && since > 0 ? since - 1 : since;
    const limit = limits.historyCap + since - from;
    const missed = await storage.readMessages(roomId, { after: from, limit }, clock.now());
    if (!('messages' in missed)) throw notLive(missed);
    const held = missed.messages[0]?.seq === since ? missed.messages[0] : undefined;
    if (since > missed.lastSeq) resume = 'ahead';
    else if (missed.firstSeq > since + 1) resume = 'history-gone';
    else if (held && held.chain !== chain) resume = 'rewritten';
    else return { ...missed, messages: missed.messages.filter((m) => m.seq > since), resume: 'resumed' };
  }
  const latest = await storage.readMessages(roomId, { limit: limits.historyPage }, clock.now());
  if (!('messages' in latest)) throw notLive(latest);
  return { ...latest, resume };
}

/** The refusal for a room that is not live. */
export function notLive(r: NotLive): ChatError {
  return new ChatError(r.status === 'missing' ? 'room-not-found' : 'room-expired', undefined, {
    ...(r.status === 'gone' ? { reason: r.reason } : {}),
  });
}
