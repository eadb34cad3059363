/**
 * The instance's half of a Redis appendAction: it finds a remove's target,
 * computes the action's link from the head it expects (Lua has no SHA-256),
 * builds the tombstone, and reads the script's reply back
 * (./moderation-scripts.ts holds the other half, and every decision).
 */
import { isMessage } from '../../protocol/frames.js';
import { actionDigest, decideActionDuplicate, toActionEntry, tombstone } from '../moderation-rules.js';
import { genesisLink, keyId } from '../rules.js';
import type { ActionResult, AppendOptions, NewAction } from '../types.js';
import type { AppendTry, Head } from './chain-heads.js';
import { notLive, parseEntry } from './entries.js';
import type { Reply } from './run.js';

export interface ActionItem {
  readonly a: NewAction;
  readonly opts: AppendOptions;
  /** A remove's target as it was stored when the instance looked ('' when there was none). */
  readonly targetMember: string;
}

/** Runs the `action` script with the room id and these arguments (after the prefix). */
type Run = (args: (string | number)[]) => Promise<Reply>;

/** One try from `head`, as ./chain-heads.ts sends it. */
export function tryAction(
  run: Run,
  roomId: string,
  item: ActionItem,
  head: Head | undefined,
  graceMs: number,
): AppendTry {
  const { a, opts, targetMember } = item;
  // With no head known yet, no guess can match: the script answers with the head.
  const seq = head ? Number(head.seq) + 1 : 0;
  const prev = head ? head.chain || genesisLink(roomId, head.createdAt) : '';
  const entry = toActionEntry(a, seq, prev);
  const { kind, id, name, key, ts, action, sig, at, chain } = entry;
  const body = { kind, id, name, key, ts, action, sig, at, chain };
  const act = a.action;
  let value = '';
  let tomb = '';
  if (act.act === 'kick') value = String(a.at + act.forMs);
  if (act.act === 'slow') value = String(act.intervalMs);
  if (act.act === 'remove') {
    value = String(act.seq);
    const target = targetMember ? parseEntry(targetMember) : undefined;
    if (target && isMessage(target) && target.chain === act.chain) {
      const t = tombstone(target, entry);
      tomb = JSON.stringify({
        kind: t.kind,
        id: t.id,
        name: t.name,
        key: t.key,
        ts: t.ts,
        sig: t.sig,
        at: t.at,
        chain: t.chain,
        removedBy: t.removedBy,
      });
    }
  }
  const reply = run([
    roomId,
    opts.now,
    opts.cap,
    opts.dedupeWindowMs,
    `${a.name}\n${a.id}`,
    actionDigest(a.ts, act),
    JSON.stringify(body),
    graceMs,
    head?.seq ?? '-1',
    head?.chain ?? '',
    head ? entry.chain : '',
    keyId(a.key),
    act.act,
    'target' in act ? keyId(act.target) : '',
    value,
    tomb ? targetMember : '',
    tomb,
  ]);
  return { reply, next: head && { seq: String(seq), chain: entry.chain, createdAt: head.createdAt } };
}

export function actionResult(r: Reply, a: NewAction): ActionResult {
  const seen = (seq: string, storedAt: string) => ({
    seq: Number(seq),
    digest: actionDigest(a.ts, a.action),
    storedAt: Number(storedAt),
  });
  switch (r[0]) {
    case 'stored': {
      const entry = parseEntry(r[1]!);
      const removed = r[2] ? parseEntry(r[2]) : undefined;
      if (!('kind' in entry) || entry.kind !== 'action')
        throw new Error('tiny-chat: the action script stored no action');
      return removed && 'kind' in removed && removed.kind === 'removed'
        ? { status: 'stored', entry, removed }
        : { status: 'stored', entry };
    }
    case 'duplicate': {
      const original = parseEntry(r[1]!);
      return decideActionDuplicate(seen(String(original.seq), String(original.at)), a, () => original);
    }
    case 'duplicate-trimmed':
      return decideActionDuplicate(seen(r[1]!, r[2]!), a, () => undefined);
    case 'conflict':
    case 'forbidden':
    case 'no-target':
      return { status: r[0] };
    default:
      return notLive(r);
  }
}
