/**
 * The transcript verifier: checks a transcript (protocol/transcript.ts)
 * offline, with WebCrypto only, so one module serves the `tiny-chat verify`
 * command, the /verify page and any third party. It never throws on a bad
 * file: everything wrong is a finding in plain words, with the seq it is
 * about, and `ok` is true only when no finding is a failure.
 *
 * What it checks is listed in docs/protocol.md ("The transcript format").
 * Each kind of entry is checked by its own function (transcript-entries.ts).
 */
import { Value } from '@sinclair/typebox/value';
import { genesisLink } from './chain.js';
import { verifySignature } from './signature.js';
import { ENTRY_KINDS, schemaProblem, type Finding } from './transcript-entries.js';
import { ModerationReplay } from './transcript-moderation.js';
import {
  headSigningBytes,
  TRANSCRIPT_FORMAT,
  TranscriptSchema,
  type ServerKey,
  type Transcript,
} from './transcript.js';

export type { Finding } from './transcript-entries.js';

export interface VerifyOptions {
  /** The server key the reader trusts (from /.well-known/tiny-chat.json): the head must be signed by it. */
  readonly trustedKey?: string;
}

export interface Verification {
  /** True when no finding is a failure. */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  /** The room and range, when the file was a transcript at all. */
  readonly roomId?: string;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  readonly serverKey?: ServerKey;
}

const done = (findings: Finding[], t?: Transcript): Verification => ({
  ok: !findings.some((f) => f.level === 'fail'),
  findings,
  ...(t ? { roomId: t.room.roomId, firstSeq: t.firstSeq, lastSeq: t.lastSeq, serverKey: t.head.key } : {}),
});

/** Seqs must run firstSeq..lastSeq with no gap, no repeat and no swap. */
function checkSeqs(t: Transcript, findings: Finding[]): void {
  const expected = t.lastSeq - t.firstSeq + 1;
  if (expected < 0) {
    findings.push({ level: 'fail', text: `lastSeq ${t.lastSeq} is below firstSeq ${t.firstSeq} - 1` });
    return;
  }
  t.entries.forEach((e, i) => {
    const want = t.firstSeq + i;
    if (e.seq !== want) {
      findings.push({
        level: 'fail',
        seq: e.seq,
        text: `entry ${i + 1} has seq ${e.seq} where seq ${want} belongs: an entry is missing, repeated or out of order`,
      });
    }
  });
  if (t.entries.length !== expected) {
    findings.push({
      level: 'fail',
      text: `the file holds ${t.entries.length} entries, but seqs ${t.firstSeq} to ${t.lastSeq} are ${expected}`,
    });
  }
}

/** Every link, from `prev` on; an entry whose link cannot be computed passes its stated link on. */
async function checkEntries(t: Transcript, findings: Finding[]): Promise<void> {
  const keysByName = new Map<string, string>();
  const moderation = new ModerationReplay(t.staff);
  let prev: string | undefined = t.prev ?? undefined;
  for (const entry of t.entries) {
    moderation.saw(entry);
    const checker = ENTRY_KINDS.get(entry.kind);
    if (!checker) {
      findings.push({
        level: 'fail',
        seq: entry.seq,
        text: `an entry of kind ${JSON.stringify(entry.kind)}, which this verifier does not know: it cannot vouch for it or its link`,
      });
      prev = entry.chain;
      continue;
    }
    const { findings: own, link } = await checker(entry, { roomId: t.room.roomId, prev, keysByName, moderation });
    findings.push(...own);
    if (link !== undefined && link !== entry.chain) {
      findings.push({
        level: 'fail',
        seq: entry.seq,
        text: 'the chain link does not follow from the entry before it: the history was changed, reordered or cut here',
      });
    }
    prev = entry.chain;
  }
  for (const r of moderation.unmatched()) {
    findings.push({
      level: 'fail',
      seq: r.seq,
      text: `message ${r.seq} was removed, but no remove by the owner or a moderator in the file names it with its link: the server erased it on its own`,
    });
  }
}

async function checkHead(t: Transcript, findings: Finding[], options: VerifyOptions): Promise<void> {
  const { head } = t;
  const last = t.entries.at(-1);
  const top = last ? last.chain : (t.prev ?? undefined);
  if (head.roomId !== t.room.roomId) findings.push({ level: 'fail', text: 'the signed head is for another room' });
  if (head.seq !== t.lastSeq) {
    findings.push({ level: 'fail', text: `the signed head is at seq ${head.seq}, the file ends at seq ${t.lastSeq}` });
  } else if (top !== undefined && head.chain !== top) {
    findings.push({
      level: 'fail',
      seq: head.seq,
      text: 'the signed head commits to another link than the last entry: the server signed another history',
    });
  }
  if (!(await verifySignature(head.key.alg, head.key.pub, head.sig, headSigningBytes(head)))) {
    findings.push({ level: 'fail', text: "the server's signature on the head does not verify against its key" });
  }
  if (options.trustedKey === undefined) {
    findings.push({
      level: 'note',
      text: `the head is signed by the key written in the file (${head.key.pub}); compare it with the server's /.well-known/tiny-chat.json to hold this transcript to that server`,
    });
  } else if (options.trustedKey !== head.key.pub) {
    findings.push({
      level: 'fail',
      text: `the head is signed by ${head.key.pub}, not by the server key you trust (${options.trustedKey})`,
    });
  }
}

/** Checks a parsed transcript file; `file` is whatever JSON.parse gave. */
export async function verifyTranscript(file: unknown, options: VerifyOptions = {}): Promise<Verification> {
  const findings: Finding[] = [];
  const format = (file as { format?: unknown } | null)?.format;
  if (format !== TRANSCRIPT_FORMAT) {
    findings.push({
      level: 'fail',
      text: `not a transcript this verifier knows: format is ${JSON.stringify(format) ?? 'missing'}, expected ${JSON.stringify(TRANSCRIPT_FORMAT)}`,
    });
    return done(findings);
  }
  if (!Value.Check(TranscriptSchema, file)) {
    findings.push({ level: 'fail', text: `the file is malformed (${schemaProblem(TranscriptSchema, file)})` });
    return done(findings);
  }
  const t = file as Transcript;
  if ((await genesisLink(t.room.roomId, t.room.createdAt)) !== t.genesis) {
    findings.push({ level: 'fail', text: "the genesis link does not match the room's id and creation time" });
  }
  if (t.firstSeq === 1 && t.prev !== t.genesis) {
    findings.push({
      level: 'fail',
      text: 'the history starts at seq 1 but its first link does not extend the genesis link',
    });
  }
  if (t.firstSeq > 1 && t.prev === null) {
    findings.push({
      level: 'note',
      seq: t.firstSeq,
      text: `messages before seq ${t.firstSeq} were trimmed: the first message's link is taken as given, so the file cannot show that it descends from the room's start`,
    });
  }
  if (t.firstSeq === 1 && (t.staff?.moderators.length ?? 0) > 0) {
    findings.push({
      level: 'fail',
      text: 'the history starts at seq 1 but the file says the room had moderators before it: a room starts with none',
    });
  }
  checkSeqs(t, findings);
  await checkEntries(t, findings);
  await checkHead(t, findings, options);
  return done(findings, t);
}
