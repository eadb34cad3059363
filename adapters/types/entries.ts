/**
 * The storage contract's history: appending a message and reading the room's
 * order back (adapters/types.ts re-exports them all).
 */
import type { ChatMessage, Entry } from '../../protocol/frames.js';
import type { NotLive } from './rooms.js';

/** A verified message before storage orders it: `at` (server receive time) is set, `seq` and `chain` are storage's. */
export type NewMessage = Omit<ChatMessage, 'seq' | 'chain'>;

export interface AppendOptions {
  /** Keep at most this many messages; older ones are deleted in the same atomic step. */
  readonly cap: number;
  readonly now: number;
  /**
   * A (name, id) pair must be recognized as a duplicate while its message is
   * still stored, and also for this long after it was stored even if the cap
   * removed it, so a replay of a trimmed message is still caught.
   */
  readonly dedupeWindowMs: number;
}

/** A message as its acknowledgement needs it: its `chain` is absent once the cap trimmed the original. */
export type Acknowledged = Omit<ChatMessage, 'chain'> & { readonly chain?: string };

export type AppendResult =
  | { readonly status: 'stored'; readonly message: ChatMessage }
  /** Same (name, id) with the same ts and text: the original, not stored again. */
  | { readonly status: 'duplicate'; readonly message: Acknowledged }
  /** Same (name, id) with other content. */
  | { readonly status: 'conflict' }
  | NotLive;

export interface ReadQuery {
  /** Messages with seq > after, oldest first (resume). */
  readonly after?: number;
  /** Messages with seq < before, the newest `limit` of them (paging back). */
  readonly before?: number;
  readonly limit: number;
}

export interface MessagePage {
  /** Always ascending by seq, contiguous: messages, actions and tombstones. */
  readonly messages: readonly Entry[];
  readonly firstSeq: number;
  readonly lastSeq: number;
}
