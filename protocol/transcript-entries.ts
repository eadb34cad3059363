/**
 * What the transcript verifier knows about each kind of entry: one function
 * per kind, which checks the entry's own fields and signature and computes
 * the link it should carry. A new kind (a moderation action, a tombstone) is
 * one more function in ENTRY_KINDS; a kind not in it is reported by the
 * verifier, never a crash.
 */
import { Value } from '@sinclair/typebox/value';
import { messageSigningBytes } from './canonical.js';
import { chainLink } from './chain.js';
import { verifySignature } from './signature.js';
import {
  ActionEntrySchema,
  MessageEntrySchema,
  RemovedEntrySchema,
  type EntryEnvelope,
  type MessageEntry,
} from './transcript.js';
import { checkActionEntry, isRemovedEntry, type ModerationReplay } from './transcript-moderation.js';

export interface Finding {
  /** `fail`: the transcript does not verify. `note`: something the reader should know, not a failure. */
  readonly level: 'fail' | 'note';
  /** The entry it is about, when it is about one. */
  readonly seq?: number;
  readonly text: string;
}

/** What every entry checker sees beside its entry. */
export interface EntryContext {
  readonly roomId: string;
  /** The link this entry must extend, or undefined when it is not known (trimmed). */
  readonly prev: string | undefined;
  /** The key each name used so far, as "alg:pub", for the one-key-per-name rule. */
  readonly keysByName: Map<string, string>;
  /** Who may moderate at this point, and the tombstones waiting for their remove. */
  readonly moderation: ModerationReplay;
}

export interface EntryCheck {
  readonly findings: Finding[];
  /** The link the entry should carry, computed from `prev`; undefined when it cannot be. */
  readonly link: string | undefined;
}

type EntryChecker = (entry: EntryEnvelope, ctx: EntryContext) => Promise<EntryCheck>;

/** The first problem TypeBox finds, in words: where and what. */
export function schemaProblem(schema: Parameters<typeof Value.Errors>[0], value: unknown): string | undefined {
  const first = Value.Errors(schema, value).First();
  return first ? `${first.path || 'the file'}: ${first.message.toLowerCase()}` : undefined;
}

async function checkMessage(entry: EntryEnvelope, ctx: EntryContext): Promise<EntryCheck> {
  const seq = entry.seq;
  const problem = schemaProblem(MessageEntrySchema, entry);
  if (problem)
    return { findings: [{ level: 'fail', seq, text: `the message is malformed (${problem})` }], link: undefined };
  const m = entry as MessageEntry;
  const findings: Finding[] = [];
  const fields = { roomId: ctx.roomId, name: m.name, id: m.id, ts: m.ts, text: m.text };
  if (!(await verifySignature(m.key.alg, m.key.pub, m.sig, messageSigningBytes(fields)))) {
    findings.push({
      level: 'fail',
      seq,
      text: `the signature of ${JSON.stringify(m.name)}'s message does not match its key: its text, name, id or time was changed, or it was never signed by that key`,
    });
  }
  oneKeyPerName(m, ctx, findings);
  return { findings, link: ctx.prev === undefined ? undefined : await chainLink(ctx.prev, m) };
}

/** A name holds one key for the room's lifetime, whatever kind of entry it writes. */
function oneKeyPerName(m: MessageEntry | EntryEnvelope, ctx: EntryContext, findings: Finding[]): void {
  const { name, key: k } = m as { name: string; key: { alg: string; pub: string } };
  const key = `${k.alg}:${k.pub}`;
  const before = ctx.keysByName.get(name);
  if (before === undefined) ctx.keysByName.set(name, key);
  else if (before !== key) {
    findings.push({
      level: 'fail',
      seq: m.seq,
      text: `${JSON.stringify(name)} writes with another key than in its earlier entries: a name holds one key for the room's lifetime`,
    });
  }
}

/** A moderation action: its signature, link, and that its actor could do it then (transcript-moderation.ts). */
async function checkAction(entry: EntryEnvelope, ctx: EntryContext): Promise<EntryCheck> {
  const seq = entry.seq;
  const { action: a, signed, link } = await checkActionEntry(entry, ctx.roomId, ctx.prev);
  if (!a) {
    const problem = schemaProblem(ActionEntrySchema, entry);
    return { findings: [{ level: 'fail', seq, text: `the moderation action is malformed (${problem})` }], link };
  }
  const findings: Finding[] = [];
  const act = a.action.act;
  if (!signed) {
    findings.push({
      level: 'fail',
      seq,
      text: `the signature of ${JSON.stringify(a.name)}'s ${act} does not match its key: the action was changed, or never signed by that key`,
    });
  }
  oneKeyPerName(entry, ctx, findings);
  // An unsigned action proves nothing about its actor: its standing and effects are not replayed.
  if (signed) {
    const refused = ctx.moderation.standing(a);
    if (refused)
      findings.push({ level: 'fail', seq, text: `the ${act} by ${JSON.stringify(a.name)} is not allowed: ${refused}` });
    else if (a.action.act === 'remove') {
      const wrong = ctx.moderation.removal({ ...a, action: a.action });
      if (wrong)
        findings.push({ level: 'fail', seq, text: `the remove by ${JSON.stringify(a.name)} does not match: ${wrong}` });
    }
  }
  return { findings, link };
}

/** A tombstone: well-formed, one key per name; its text (and so its link and signature) is gone, its remove comes later. */
async function checkRemoved(entry: EntryEnvelope, ctx: EntryContext): Promise<EntryCheck> {
  if (!isRemovedEntry(entry)) {
    const problem = schemaProblem(RemovedEntrySchema, entry);
    return {
      findings: [{ level: 'fail', seq: entry.seq, text: `the removed entry is malformed (${problem})` }],
      link: undefined,
    };
  }
  const findings: Finding[] = [];
  oneKeyPerName(entry, ctx, findings);
  if (entry.removedBy.seq <= entry.seq) {
    findings.push({ level: 'fail', seq: entry.seq, text: 'the removed entry names a remover before itself' });
  }
  ctx.moderation.tombstone(entry);
  return Promise.resolve({ findings, link: undefined });
}

/** A Map, not an object: a kind named `constructor` or `__proto__` must be unknown, not Object's. */
export const ENTRY_KINDS: ReadonlyMap<string, EntryChecker> = new Map([
  ['message', checkMessage],
  ['action', checkAction],
  ['removed', checkRemoved],
]);
