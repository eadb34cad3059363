/**
 * The proof-of-work the `proofOfWork` option asks of anonymous keys
 * (protocol/pow.ts has the bytes): on a room creation, over a challenge this
 * server answered with, and on a join by a key that holds no name in the
 * room yet, over the socket's `hello` nonce. Signed-in creators and members
 * are not asked: their identity is their cost.
 *
 * Nothing is remembered per challenge: a creation challenge names the room
 * id it creates, so storage's one-room-per-id makes each solution good once,
 * and a join's work names a nonce no other socket has.
 *
 * Must never: accept a creation challenge older than POW_CHALLENGE_TTL_MS,
 * or ask a rejoining key (one that already holds its name) for work.
 */
import { createHash } from 'node:crypto';
import type { Storage } from '../adapters/types.js';
import { ChatError } from '../protocol/errors.js';
import type { CreateRoomRequest, JoinFrame } from '../protocol/frames.js';
import { leadingZeroBits, POW_CHALLENGE_TTL_MS, powCreateBytes, powJoinBytes } from '../protocol/pow.js';

const sha256 = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();

/** A challenge's issue time may lie this far ahead of this server's clock (another instance's). */
const AHEAD_MS = 5_000;

export class ProofOfWork {
  constructor(readonly difficulty: number) {}

  get on(): boolean {
    return this.difficulty > 0;
  }

  /** The refusal of a creation without work: the difficulty and a fresh challenge for `roomId`. */
  required(roomId: string, now: number): ChatError {
    return new ChatError('proof-of-work-required', undefined, {
      difficulty: this.difficulty,
      challenge: `${roomId}.${now}`,
    });
  }

  /** The room id a creation's work was done for, once its challenge is fresh and its hash meets the difficulty. */
  createdRoomId(pow: NonNullable<CreateRoomRequest['pow']>, now: number): string {
    const [roomId, issued] = pow.challenge.split('.') as [string, string];
    const age = now - Number(issued);
    if (age > POW_CHALLENGE_TTL_MS || age < -AHEAD_MS) {
      throw new ChatError('proof-of-work-invalid', 'The challenge is stale; ask for a new one.');
    }
    if (leadingZeroBits(sha256(powCreateBytes(pow.challenge, pow.solution))) < this.difficulty) {
      throw new ChatError('proof-of-work-invalid');
    }
    return roomId;
  }

  /**
   * Lets an anonymous join through when its work verifies, or when its key
   * already holds a name in the room (a bind with no candidate only looks the
   * pin up: adapters/types.ts bindName).
   */
  async admitJoin(storage: Storage, frame: JoinFrame, nonce: string, now: number): Promise<void> {
    if (frame.pow !== undefined) {
      const bytes = powJoinBytes({ roomId: frame.roomId, nonce, alg: frame.key.alg, pub: frame.key.pub }, frame.pow);
      if (leadingZeroBits(sha256(bytes)) >= this.difficulty) return;
      throw new ChatError('proof-of-work-invalid');
    }
    const pinned = await storage.bindName(frame.roomId, { key: frame.key, candidates: [] }, now);
    if (pinned.status === 'bound') return;
    throw new ChatError('proof-of-work-required', undefined, { difficulty: this.difficulty });
  }
}
