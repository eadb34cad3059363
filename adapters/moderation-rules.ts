/**
 * The moderation rules, written once (adapters/types.ts appendAction): who may
 * do which act, what a stored action does to the room's staff, what bindName
 * refuses, how an action is deduplicated and linked. Memory and SQLite call
 * these pure functions; the Redis Lua scripts (adapters/redis/moderation-
 * scripts.ts) must decide the same way inside Redis, and the contract suite
 * (test/adapters/contract-moderation*.ts) holds one case per rule.
 *
 * Must never do I/O or read a clock.
 */
import { createHash } from 'node:crypto';
import type { ChatMessage, Entry, PublicKey } from '../protocol/frames.js';
import {
  actionChainBytes,
  actionFields,
  OWNER_ONLY_ACTS,
  sameKey,
  type ActionChainRecord,
  type ActionEntry,
  type RemovedEntry,
  type RoomStaff,
} from '../protocol/moderation.js';
import { keyId } from './rules.js';
import type { ActionResult, BindResult, NewAction } from './types.js';

/** A room's staff before any action: the owner alone, unlocked, no slow mode. */
export const initialStaff = (owner: PublicKey | undefined): RoomStaff => ({
  owner: owner ? { alg: owner.alg, pub: owner.pub } : null,
  moderators: [],
  locked: false,
  slowModeMs: 0,
});

const isStaffMember = (staff: RoomStaff, k: PublicKey): boolean =>
  (staff.owner !== null && sameKey(staff.owner, k)) || staff.moderators.some((m) => sameKey(m, k));

/**
 * May `actor` do `action` now? The owner may do anything but act on itself;
 * a moderator may do all but the owner's acts, and may not kick, ban or unban
 * the owner or another moderator; anyone else may do nothing.
 */
export function mayAct(staff: RoomStaff, actor: PublicKey, action: NewAction['action']): boolean {
  if (staff.owner === null) return false;
  const target = 'target' in action ? action.target : undefined;
  if (sameKey(staff.owner, actor)) return !(target && sameKey(target, staff.owner));
  if (!staff.moderators.some((m) => sameKey(m, actor))) return false;
  if (OWNER_ONLY_ACTS.has(action.act)) return false;
  return !(target && isStaffMember(staff, target));
}

/** The staff after a stored action (remove, kick, ban and unban leave it as it was). */
export function applyToStaff(staff: RoomStaff, action: NewAction['action']): RoomStaff {
  switch (action.act) {
    case 'promote':
      if (staff.moderators.some((m) => sameKey(m, action.target))) return staff;
      return { ...staff, moderators: [...staff.moderators, { alg: action.target.alg, pub: action.target.pub }] };
    case 'demote':
      return { ...staff, moderators: staff.moderators.filter((m) => !sameKey(m, action.target)) };
    case 'lock':
    case 'unlock':
      return { ...staff, locked: action.act === 'lock' };
    case 'slow':
      return { ...staff, slowModeMs: action.intervalMs };
    default:
      return staff;
  }
}

/** What a room keeps to refuse keys: banned key ids (with the subject banned along), kicked key ids until when. */
export interface Standing {
  /** Is this key id banned, or this subject (when given)? */
  readonly banned: (keyId: string, subject: string | undefined) => boolean;
  /** Until when this key id is kicked, if it is. */
  readonly kickedUntil: (keyId: string) => number | undefined;
  readonly locked: boolean;
}

/**
 * The refusal a bind meets before any name is looked at, or undefined: a ban
 * first, then a kick still running, then a lock for a key that holds no name.
 */
export function refuseBind(
  standing: Standing,
  key: PublicKey,
  subject: string | undefined,
  pinned: boolean,
  now: number,
): Extract<BindResult, { status: 'banned' | 'kicked' | 'locked' }> | undefined {
  const id = keyId(key);
  if (standing.banned(id, subject || undefined)) return { status: 'banned' };
  const until = standing.kickedUntil(id);
  if (until !== undefined && until > now) return { status: 'kicked', until };
  if (standing.locked && !pinned) return { status: 'locked' };
  return undefined;
}

/**
 * An action's content digest for dedupe, beside messages' (rules.ts
 * contentDigest) in one index: the tag keeps an action from ever matching a
 * message, so a message id reused for an action is a conflict.
 */
export const actionDigest = (ts: number, action: NewAction['action']): string =>
  createHash('sha256')
    .update(JSON.stringify(['action', ts, ...actionFields(action)]))
    .digest('base64url');

/** The action as stored under `seq` after the link `prev`: exactly the fields of ActionEntry. */
export function toActionEntry(a: NewAction, seq: number, prev: string): ActionEntry {
  const key = { alg: a.key.alg, pub: a.key.pub };
  const record: ActionChainRecord = { seq, name: a.name, key, id: a.id, ts: a.ts, action: a.action, sig: a.sig };
  const chain = createHash('sha256').update(actionChainBytes(prev, record)).digest('base64url');
  return {
    kind: 'action',
    seq,
    id: a.id,
    name: a.name,
    key,
    ts: a.ts,
    action: { ...a.action },
    sig: a.sig,
    at: a.at,
    chain,
  };
}

/** The answer to a replayed action: conflict on other content, else the original (without its link once trimmed). */
export function decideActionDuplicate(
  seen: { readonly seq: number; readonly digest: string; readonly storedAt: number },
  a: NewAction,
  stored: (seq: number) => Entry | undefined,
): Extract<ActionResult, { status: 'duplicate' | 'conflict' }> {
  if (seen.digest !== actionDigest(a.ts, a.action)) return { status: 'conflict' };
  const original = stored(seen.seq);
  if (original && 'kind' in original && original.kind === 'action') return { status: 'duplicate', entry: original };
  const { id, name, ts, action, sig } = a;
  return {
    status: 'duplicate',
    entry: { kind: 'action', seq: seen.seq, id, name, key: { ...a.key }, ts, action, sig, at: seen.storedAt },
  };
}

/** Is `e` the message a remove names: a message (not an action, not removed) at that seq with that exact link? */
export const isRemoveTarget = (e: Entry | undefined, chain: string): e is ChatMessage =>
  e !== undefined && !('kind' in e) && e.chain === chain;

/** The tombstone of `m`, removed by `by`: every field but the text. */
export function tombstone(m: ChatMessage, by: ActionEntry): RemovedEntry {
  const { seq, id, name, key, ts, sig, at, chain } = m;
  return {
    kind: 'removed',
    seq,
    id,
    name,
    key: { ...key },
    ts,
    sig,
    at,
    chain,
    removedBy: { seq: by.seq, name: by.name, key: { ...by.key } },
  };
}
