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
import { MessageEntrySchema, type EntryEnvelope, type MessageEntry } from './transcript.js';

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
  const key = `${m.key.alg}:${m.key.pub}`;
  const before = ctx.keysByName.get(m.name);
  if (before === undefined) ctx.keysByName.set(m.name, key);
  else if (before !== key) {
    findings.push({
      level: 'fail',
      seq,
      text: `${JSON.stringify(m.name)} writes with another key than in its earlier messages: a name holds one key for the room's lifetime`,
    });
  }
  return { findings, link: ctx.prev === undefined ? undefined : await chainLink(ctx.prev, m) };
}

/** A Map, not an object: a kind named `constructor` or `__proto__` must be unknown, not Object's. */
export const ENTRY_KINDS: ReadonlyMap<string, EntryChecker> = new Map([['message', checkMessage]]);
