/**
 * Fetches the room's transcript (protocol/transcript.ts, docs/protocol.md
 * "The server's key and transcripts") as a member: the server answers
 * `POST /rooms/{roomId}/transcript` only to a fresh signature by a key that
 * holds a name in the room, and signs the head of the history it gives. The
 * file is saved as the server sent it, so a verifier checks exactly those
 * bytes' content; the widget adds nothing and leaves nothing out.
 */
import { exportSigningBytes } from '../../protocol/transcript-bytes.js';
import type { ExportRequest, Transcript } from '../../protocol/transcript.js';
import type { Identity } from '../keys.js';
import { sign } from '../signing.js';

export interface TranscriptSource {
  /** The chat server's http(s) base URL. */
  readonly server: string;
  readonly roomId: string;
  /** This browser's key in the room. */
  readonly identity: Identity;
}

/** The server's refusal code, or `cannot-connect` when it could not be asked. */
export class TranscriptError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export async function fetchTranscript({ server, roomId, identity }: TranscriptSource): Promise<Transcript> {
  const { alg, pub } = identity;
  const time = Date.now();
  const sig = await sign(identity, exportSigningBytes(roomId, time, alg, pub));
  const body: ExportRequest = { key: { alg, pub }, time, sig };
  let res: Response;
  try {
    res = await fetch(new URL(`/rooms/${roomId}/transcript`, server), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new TranscriptError('cannot-connect');
  }
  const json = (await res.json().catch(() => ({}))) as { code?: string };
  if (!res.ok) throw new TranscriptError(json.code ?? 'internal');
  return json as Transcript;
}

/** The file name both copies share: the room and its last seq, so two exports of one room sort in order. */
export function transcriptFileName(t: Transcript, extension: 'json' | 'html'): string {
  return `tiny-chat-${t.room.roomId}-${t.lastSeq}.${extension}`;
}
