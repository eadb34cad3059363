/**
 * The storage rules, written once. Memory and SQLite call these pure
 * functions for every decision (is the room live, which name does a key get,
 * is a message a duplicate); the Redis Lua scripts (adapters/redis/scripts.ts)
 * must decide the same way inside Redis for atomicity, and the contract suite
 * (test/adapters/contract.ts) holds one case per rule to keep them in step.
 *
 * Must never do I/O or read a clock: the caller passes what it read and `now`,
 * and applies the decision in its own atomic step.
 */
import { hash } from 'node:crypto';
import { chainRecordJson, genesisBytes, type ChainRecord } from '../protocol/chain.js';
import type { ChatMessage, PublicKey } from '../protocol/frames.js';
import type {
  Acknowledged,
  AppendResult,
  BindRequest,
  BindResult,
  NewMessage,
  NotLive,
  RoomGoneReason,
} from './types.js';

/** A key's identity: the same bytes under another algorithm are another key. */
export const keyId = (k: PublicKey): string => `${k.alg}:${k.pub}`;

/** Dedupe compares content by digest, so trimmed messages need not keep their text. */
export const contentDigest = (ts: number, text: string): string =>
  hash('sha256', JSON.stringify([ts, text]), 'base64url');

/**
 * One entry per name, ordered by name as JS compares strings (UTF-16 code
 * units), which is not how SQLite or Redis would sort them.
 */
export function membersByName(entries: Iterable<{ name: string; key: PublicKey }>): { name: string; key: PublicKey }[] {
  const byName = new Map<string, PublicKey>();
  for (const e of entries) byName.set(e.name, e.key);
  return [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, key]) => ({ name, key }));
}

// ---------- liveness ----------

/** The times that decide whether a room is live. */
export interface RoomClocks {
  readonly expiresAt: number;
  readonly lastActiveAt: number;
  readonly idleTimeoutMs: number;
}

/**
 * Why a room is past a deadline at `now`, or undefined while it is live. The
 * hard deadline wins over idleness; a room is idle only with no live
 * connection, asked only once the idle time has passed (it may cost a query).
 */
export function roomDeadline(
  room: RoomClocks,
  now: number,
  hasLiveConnection: () => boolean,
): RoomGoneReason | undefined {
  if (now >= room.expiresAt) return 'expired';
  if (now >= room.lastActiveAt + room.idleTimeoutMs && !hasLiveConnection()) return 'idle';
  return undefined;
}

/**
 * A room's status from what the backend holds under its id: a room with its
 * deadline (undefined while live), else maybe a tombstone's reason.
 * Undefined means live.
 */
export function notLive(
  room: { readonly deadline: RoomGoneReason | undefined } | undefined,
  tombstone: RoomGoneReason | undefined,
): NotLive | undefined {
  if (room) return room.deadline ? { status: 'gone', reason: room.deadline } : undefined;
  return tombstone ? { status: 'gone', reason: tombstone } : { status: 'missing' };
}

// ---------- names ----------

export interface Pin {
  readonly name: string;
  /** Absent, undefined, null and '' all mean "bound without a subject". */
  readonly subject?: string | null | undefined;
}

/** What to do for a bind: answer now, or pin `name`/`skeleton` to the key and answer bound. */
export type BindDecision =
  Exclude<BindResult, NotLive> | { readonly status: 'pin'; readonly name: string; readonly skeleton: string };

/**
 * A key that holds a pin gets it back, but only for the subject it was bound
 * with; otherwise the first candidate whose skeleton no key holds is pinned.
 */
export function decideBind(
  req: BindRequest,
  pinned: Pin | undefined,
  skeletonTaken: (skeleton: string) => boolean,
): BindDecision {
  if (pinned) {
    if ((pinned.subject ?? '') !== (req.subject ?? '')) return { status: 'subject-mismatch' };
    return { status: 'bound', name: pinned.name, existing: true };
  }
  for (const c of req.candidates) {
    if (!skeletonTaken(c.skeleton)) return { status: 'pin', name: c.name, skeleton: c.skeleton };
  }
  return { status: 'names-taken' };
}

// ---------- dedupe ----------

/** What a backend keeps per (name, id) for as long as it must recognize a replay. */
export interface DedupeRecord {
  readonly seq: number;
  /** contentDigest(ts, text) of what was stored. */
  readonly digest: string;
  /** AppendOptions.now when it was stored. */
  readonly storedAt: number;
}

/**
 * The answer to an append whose (name, id) was seen: other content is a
 * conflict; the same content is a duplicate answered with the original
 * (`stored`, when it is still in history) or, once the cap trimmed it, with
 * the replay under the original's number and store time.
 */
export function decideDuplicate(
  seen: DedupeRecord,
  m: NewMessage,
  stored: (seq: number) => ChatMessage | undefined,
): Extract<AppendResult, { status: 'duplicate' | 'conflict' }> {
  if (seen.digest !== contentDigest(m.ts, m.text)) return { status: 'conflict' };
  return { status: 'duplicate', message: stored(seen.seq) ?? trimmedDuplicate(m, seen.seq, seen.storedAt) };
}

/**
 * The acknowledgement of a replay whose original the cap trimmed (Redis builds it from its script's reply). Its
 * link went with the original; an acknowledgement needs only the number and store time.
 */
export function trimmedDuplicate(m: NewMessage, seq: number, storedAt: number): Acknowledged {
  return { seq, id: m.id, name: m.name, ts: m.ts, text: m.text, sig: m.sig, key: { ...m.key }, at: storedAt };
}

/**
 * The link each message made by toStored in this process extended. What
 * this process hashed itself need not be hashed again: the room group's
 * rollback check (server/fanout/chain-watch.ts) compares this with the link
 * it delivered last. Weak, so an entry goes with its message.
 */
const extended = new WeakMap<ChatMessage, string>();

/** The link `m` was made to extend, if this process made it (toStored); undefined for a message read or received. */
export const extendedLink = (m: ChatMessage): string | undefined => extended.get(m);

/** The message as stored under `seq` after the link `prev`: exactly the fields of ChatMessage, nothing the caller added. */
export function toStored(m: NewMessage, seq: number, prev: string): ChatMessage {
  const key = { alg: m.key.alg, pub: m.key.pub };
  // Built whole, then linked (its link is hashed from the record's fields alone): spreading a record into a
  // new object cost 7.7 us a message against 1.8 us for this, four times the hash itself (issue 15).
  const stored = { seq, id: m.id, name: m.name, ts: m.ts, text: m.text, sig: m.sig, key, at: m.at, chain: '' };
  stored.chain = nextLink(prev, stored);
  extended.set(stored, prev);
  return stored;
}

// ---------- chain ----------

// One-shot crypto.hash (Node 20.12+): half the cost of a Hash object per message, twice per append.
const sha256 = (data: Uint8Array | string): string => hash('sha256', data, 'base64url');

/** A room's first `prev` (protocol/chain.ts), computed synchronously so storage can use it inside its atomic step. */
export const genesisLink = (roomId: string, createdAt: number): string => sha256(genesisBytes(roomId, createdAt));

/** The link of `r` after `prev` (protocol/chain.ts), synchronously. */
export const nextLink = (prev: string, r: ChainRecord): string => sha256(chainRecordJson(prev, r));
