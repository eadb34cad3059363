/**
 * Builds a room's transcript (protocol/transcript.ts) from storage: every
 * message it holds, read in pages up to the last seq of the first page, and
 * the server's head over the last of them, and the room's owner and
 * moderators as of the first entry (the verifier replays promote and demote
 * from there). A page that does not continue the
 * one before (the cap trimmed the front while we read) starts the read over,
 * so the file never holds a gap that storage did not have.
 */
import type { NotLive, Storage } from '../../adapters/types.js';
import { genesisLink } from '../../adapters/rules.js';
import { isMessage, type Entry, type PublicKey } from '../../protocol/frames.js';
import type { RoomStaff } from '../../protocol/moderation.js';
import {
  TRANSCRIPT_FORMAT,
  type EntryEnvelope,
  type MessageEntry,
  type SignedHead,
  type Transcript,
  type TranscriptStaff,
} from '../../protocol/transcript.js';
import type { ServerSigner } from './server-key.js';

const PAGE = 500;
const ATTEMPTS = 3;

/** Actions and tombstones go as stored (they carry their kind); messages get theirs. */
const entryOf = (m: Entry): MessageEntry | EntryEnvelope => {
  if (!isMessage(m)) return m;
  return messageEntryOf(m);
};

const messageEntryOf = (m: Extract<Entry, { text: string }>): MessageEntry => ({
  kind: 'message',
  seq: m.seq,
  name: m.name,
  key: m.key,
  id: m.id,
  ts: m.ts,
  text: m.text,
  sig: m.sig,
  chain: m.chain,
  at: m.at,
});

/** Every message storage holds, contiguous; undefined when trimming overtook the read. */
async function readAll(storage: Storage, roomId: string, now: number): Promise<Entry[] | NotLive | undefined> {
  const first = await storage.readMessages(roomId, { after: 0, limit: PAGE }, now);
  if (!('messages' in first)) return first;
  const out = [...first.messages];
  while (out.length > 0 && out.at(-1)!.seq < first.lastSeq) {
    const after = out.at(-1)!.seq;
    const page = await storage.readMessages(roomId, { after, limit: PAGE }, now);
    if (!('messages' in page)) return page;
    const next = page.messages[0];
    if (next === undefined || next.seq !== after + 1) return undefined;
    out.push(...page.messages.filter((m) => m.seq <= first.lastSeq));
  }
  return out;
}

/**
 * The moderators before the first entry: the room's current ones with the
 * promote and demote actions in `entries` undone, latest first. `staff` must
 * have been read before `entries`, so that each action it reflects is among them.
 */
export function staffBefore(staff: RoomStaff, entries: readonly Entry[]): TranscriptStaff {
  const id = (k: PublicKey): string => `${k.alg}:${k.pub}`;
  const moderators = new Map(staff.moderators.map((k) => [id(k), k]));
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (isMessage(e) || e.kind !== 'action') continue;
    const a = e.action;
    if (a.act === 'promote') moderators.delete(id(a.target));
    else if (a.act === 'demote') moderators.set(id(a.target), a.target);
  }
  return { owner: staff.owner, moderators: [...moderators.values()] };
}

export async function buildTranscript(
  storage: Storage,
  signer: ServerSigner,
  room: { readonly id: string; readonly createdAt: number; readonly staff: RoomStaff },
  now: number,
): Promise<Transcript | NotLive> {
  const genesis = genesisLink(room.id, room.createdAt);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const messages = await readAll(storage, room.id, now);
    if (messages === undefined) continue;
    if (!Array.isArray(messages)) return messages;
    const last = messages.at(-1);
    // With no message held, the head is the genesis (seq 0); the cap always keeps the last one.
    const lastSeq = last?.seq ?? 0;
    const firstSeq = messages[0]?.seq ?? 1;
    return {
      format: TRANSCRIPT_FORMAT,
      room: { roomId: room.id, createdAt: room.createdAt },
      genesis,
      firstSeq,
      lastSeq,
      // The trimmed message's link is not kept: docs/protocol.md says what that leaves unchecked.
      prev: firstSeq === 1 ? genesis : null,
      staff: staffBefore(room.staff, messages),
      entries: messages.map(entryOf),
      head: signer.signHead(room.id, lastSeq, last?.chain ?? genesis, now),
      exportedAt: now,
    };
  }
  throw new Error(`the history of room ${room.id} kept moving under ${ATTEMPTS} reads`);
}

/** The room's head now, signed: its last message's seq and link (the genesis link before the first). */
export async function signedHead(
  storage: Storage,
  signer: ServerSigner,
  room: { readonly id: string; readonly createdAt: number },
  now: number,
): Promise<SignedHead | NotLive> {
  const page = await storage.readMessages(room.id, { limit: 1 }, now);
  if (!('messages' in page)) return page;
  const last = page.messages.at(-1);
  return signer.signHead(room.id, last?.seq ?? 0, last?.chain ?? genesisLink(room.id, room.createdAt), now);
}
