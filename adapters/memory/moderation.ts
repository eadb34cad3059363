/**
 * One memory room's moderation state (owner, moderators, lock, slow mode,
 * bans, kicks) and the appendAction step over it. Decisions come from
 * adapters/moderation-rules.ts; this file only keeps the state they read and
 * applies what they decide, synchronously, so the memory adapter's call stays
 * one atomic step. Must never await.
 */
import type { Entry, PublicKey } from '../../protocol/frames.js';
import type { RoomStaff } from '../../protocol/moderation.js';
import {
  actionDigest,
  applyToStaff,
  decideActionDuplicate,
  initialStaff,
  isRemoveTarget,
  mayAct,
  refuseBind,
  toActionEntry,
  tombstone,
} from '../moderation-rules.js';
import { keyId } from '../rules.js';
import type { ActionResult, AppendOptions, BindResult, NewAction } from '../types.js';
import type { RoomState } from './room.js';

export class RoomModeration {
  staff: RoomStaff;
  /** key id -> the subject banned with it ('' when none) */
  readonly #bans = new Map<string, string>();
  /** key id -> kicked until */
  readonly #kicks = new Map<string, number>();

  constructor(owner: PublicKey | undefined) {
    this.staff = initialStaff(owner);
  }

  refuse(key: PublicKey, subject: string | undefined, pinned: boolean, now: number) {
    const standing = {
      banned: (id: string, sub: string | undefined) =>
        this.#bans.has(id) || (sub !== undefined && [...this.#bans.values()].includes(sub)),
      kickedUntil: (id: string) => this.#kicks.get(id),
      locked: this.staff.locked,
    };
    return refuseBind(standing, key, subject, pinned, now) satisfies BindResult | undefined;
  }

  /** Records what a stored kick or ban does to binds; `subjectOf` is the subject the target's key was bound with. */
  record(a: NewAction, subjectOf: (keyId: string) => string | undefined): void {
    const act = a.action;
    this.staff = applyToStaff(this.staff, act);
    if (act.act === 'kick') this.#kicks.set(keyId(act.target), a.at + act.forMs);
    if (act.act === 'ban') this.#bans.set(keyId(act.target), subjectOf(keyId(act.target)) ?? '');
    if (act.act === 'unban') this.#bans.delete(keyId(act.target));
  }
}

/** Checks, orders, links, stores and applies one action; the caller trims to the cap after. */
export function appendActionTo(room: RoomState, a: NewAction, opts: AppendOptions): ActionResult {
  const find = (seq: number): Entry | undefined => {
    const first = room.entries[0]?.seq ?? room.lastSeq + 1;
    const e = room.entries[seq - first];
    return e?.seq === seq ? e : undefined;
  };
  const seen = room.dedupe.get(a.name, a.id);
  if (seen) return decideActionDuplicate(seen, a, find);
  if (!mayAct(room.moderation.staff, a.key, a.action)) return { status: 'forbidden' };
  const act = a.action;
  const target = act.act === 'remove' ? find(act.seq) : undefined;
  if (act.act === 'remove' && !isRemoveTarget(target, act.chain)) return { status: 'no-target' };
  const entry = toActionEntry(a, room.lastSeq + 1, room.lastChain);
  room.lastSeq = entry.seq;
  room.lastChain = entry.chain;
  room.entries.push(entry);
  room.dedupe.add(a.name, a.id, { seq: entry.seq, digest: actionDigest(a.ts, act), storedAt: opts.now });
  room.lastActiveAt = Math.max(room.lastActiveAt, opts.now);
  room.moderation.record(a, (id) => room.subjectOf(id));
  if (act.act === 'remove' && isRemoveTarget(target, act.chain)) {
    const removed = tombstone(target, entry);
    room.entries[act.seq - room.entries[0]!.seq] = removed;
    return { status: 'stored', entry, removed };
  }
  return { status: 'stored', entry };
}
