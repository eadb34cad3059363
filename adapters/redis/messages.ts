/**
 * The instance's half of a Redis appendMessage: it computes the message's
 * link from the head it expects (Lua has no SHA-256) and reads the append
 * script's reply back (./scripts.ts holds the other half, and every decision).
 * ./actions.ts is the same for moderation actions.
 */
import { isMessage } from '../../protocol/frames.js';
import { contentDigest, genesisLink, nextLink, trimmedDuplicate } from '../rules.js';
import type { AppendOptions, AppendResult, NewMessage } from '../types.js';
import type { AppendTry, Head } from './chain-heads.js';
import { notLive, parseEntry } from './entries.js';
import type { Reply } from './run.js';

export interface MessageItem {
  readonly m: NewMessage;
  readonly opts: AppendOptions;
}

/** Runs the `append` script with the room id and these arguments (after the prefix). */
type Run = (args: (string | number)[]) => Promise<Reply>;

/** One try from `head`: the link for the seq after it, sent with the head it must still be. */
export function tryMessage(
  run: Run,
  roomId: string,
  { m, opts }: MessageItem,
  head: Head | undefined,
  graceMs: number,
): AppendTry {
  // With no head known yet, no guess can match: the script answers with the head.
  const seq = head ? Number(head.seq) + 1 : 0;
  const key = { alg: m.key.alg, pub: m.key.pub };
  const prev = head ? head.chain || genesisLink(roomId, head.createdAt) : '';
  const chain = head ? nextLink(prev, { seq, id: m.id, name: m.name, ts: m.ts, text: m.text, sig: m.sig, key }) : '';
  const body = JSON.stringify({ id: m.id, name: m.name, ts: m.ts, text: m.text, sig: m.sig, key, at: m.at, chain });
  const reply = run([
    roomId,
    opts.now,
    opts.cap,
    opts.dedupeWindowMs,
    `${m.name}\n${m.id}`,
    contentDigest(m.ts, m.text),
    body,
    graceMs,
    head?.seq ?? '-1',
    head?.chain ?? '',
    chain,
  ]);
  return { reply, next: head && { seq: String(seq), chain, createdAt: head.createdAt } };
}

/** The append script's reply as the adapter's answer. */
export function messageResult(r: Reply, m: NewMessage): AppendResult {
  switch (r[0]) {
    case 'stored': {
      const message = parseEntry(r[1]!);
      if (!isMessage(message)) throw new Error('tiny-chat: the append script stored no message');
      return { status: 'stored', message };
    }
    case 'duplicate': {
      // The original may have been removed since: answered as a trimmed one is, without its link.
      const original = parseEntry(r[1]!);
      if (isMessage(original)) return { status: 'duplicate', message: original };
      return { status: 'duplicate', message: trimmedDuplicate(m, original.seq, original.at) };
    }
    case 'duplicate-trimmed':
      return { status: 'duplicate', message: trimmedDuplicate(m, Number(r[1]), Number(r[2])) };
    case 'conflict':
      return { status: 'conflict' };
    default:
      return notLive(r);
  }
}
