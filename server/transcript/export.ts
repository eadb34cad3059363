/**
 * Builds a room's transcript (protocol/transcript.ts) from storage: every
 * message it holds, read in pages up to the last seq of the first page, and
 * the server's head over the last of them. A page that does not continue the
 * one before (the cap trimmed the front while we read) starts the read over,
 * so the file never holds a gap that storage did not have.
 */
import type { NotLive, Storage } from '../../adapters/types.js';
import { genesisLink } from '../../adapters/rules.js';
import type { ChatMessage } from '../../protocol/frames.js';
import { TRANSCRIPT_FORMAT, type MessageEntry, type Transcript } from '../../protocol/transcript.js';
import type { ServerSigner } from './server-key.js';

const PAGE = 500;
const ATTEMPTS = 3;

const entryOf = (m: ChatMessage): MessageEntry => ({
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
async function readAll(storage: Storage, roomId: string, now: number): Promise<ChatMessage[] | NotLive | undefined> {
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

export async function buildTranscript(
  storage: Storage,
  signer: ServerSigner,
  room: { readonly id: string; readonly createdAt: number },
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
      entries: messages.map(entryOf),
      head: signer.signHead(room.id, lastSeq, last?.chain ?? genesis, now),
      exportedAt: now,
    };
  }
  throw new Error(`the history of room ${room.id} kept moving under ${ATTEMPTS} reads`);
}
