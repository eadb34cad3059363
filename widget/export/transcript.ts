/**
 * The transcript the widget saves: the room and every message it holds, in
 * the shape issue 13 part 4 gives (room id and creation time; per message
 * seq, name, algorithm, public key, id, ts, text, sig and chain; the join
 * proofs and the server's signed head where there are any). A verifier
 * checks it offline; nothing here vouches for it.
 *
 * It must never leave out or alter a field the signatures and the chain
 * cover: a transcript is only worth what a verifier can recompute from it.
 */
import type { ChatMessage } from '../../protocol/frames.js';

export const TRANSCRIPT_FORMAT = 'tiny-chat-transcript';

export interface TranscriptMessage {
  readonly seq: number;
  readonly name: string;
  readonly alg: string;
  readonly pub: string;
  readonly id: string;
  readonly ts: number;
  readonly text: string;
  readonly sig: string;
  readonly chain: string;
}

export interface Transcript {
  readonly format: typeof TRANSCRIPT_FORMAT;
  readonly version: 1;
  readonly room: { readonly id: string; readonly createdAt: number };
  /** When the widget saved it, ms since the epoch. */
  readonly exportedAt: number;
  /** Ascending by seq. */
  readonly messages: readonly TranscriptMessage[];
  /** The browser holds no join proofs but its own; the server's export route carries those it keeps. */
  readonly proofs: readonly never[];
  /** The server's signed head; null from the widget, which has no route for it yet. */
  readonly head: null;
}

export interface TranscriptSource {
  readonly roomId: string;
  readonly createdAt: number;
  readonly messages: readonly ChatMessage[];
  readonly now: number;
}

export function transcript(source: TranscriptSource): Transcript {
  return {
    format: TRANSCRIPT_FORMAT,
    version: 1,
    room: { id: source.roomId, createdAt: source.createdAt },
    exportedAt: source.now,
    messages: [...source.messages]
      .sort((a, b) => a.seq - b.seq)
      .map(({ seq, name, key, id, ts, text, sig, chain }) => ({
        seq,
        name,
        alg: key.alg,
        pub: key.pub,
        id,
        ts,
        text,
        sig,
        chain,
      })),
    proofs: [],
    head: null,
  };
}

/** The file name both copies share: the room and the last seq, so two exports of one room sort in order. */
export function transcriptFileName(t: Transcript, extension: 'json' | 'html'): string {
  const last = t.messages.at(-1)?.seq ?? 0;
  return `tiny-chat-${t.room.id}-${last}.${extension}`;
}
