/**
 * The messages shown in one visit of a room, in seq order, each checked once:
 * its signature over the canonical bytes, and its key against the name's pin
 * (members.ts). Older pages go on top; a fresh snapshot after a reconnect that
 * could not resume replaces the list and marks the gap. It never drops or
 * reorders a message the socket delivered.
 */
import type { ChatMessage, HistoryPageFrame } from '../protocol/frames.js';
import type { Members } from './members.js';
import { verifyMessage } from './signing.js';

export interface ShownMessage {
  readonly message: ChatMessage;
  /** undefined while the check runs. */
  verified: boolean | undefined;
}

export interface TimelineOptions {
  readonly roomId: string;
  readonly members: Members;
  readonly changed: () => void;
  /** A message's check finished. */
  readonly checked: (entry: ShownMessage & { verified: boolean }) => void;
}

export class Timeline {
  messages: readonly ShownMessage[] = [];
  /** Earlier messages were lost between two snapshots. */
  gap = false;
  /** The lowest sequence number the server still stores. */
  firstSeq = 1;
  readonly #options: TimelineOptions;

  constructor(options: TimelineOptions) {
    this.#options = options;
  }

  get oldestSeq(): number | undefined {
    return this.messages[0]?.message.seq;
  }

  get hasEarlier(): boolean {
    const oldest = this.oldestSeq;
    return oldest !== undefined && oldest > this.firstSeq;
  }

  /** A snapshot that does not continue what was shown (a reconnect that could not resume). */
  replace(): void {
    this.gap = this.messages.length > 0;
    if (this.gap) this.messages = [];
    this.#options.changed();
  }

  append(messages: readonly ChatMessage[]): void {
    if (messages.length === 0) return;
    const shown = messages.map((message): ShownMessage => ({ message, verified: undefined }));
    this.messages = [...this.messages, ...shown];
    this.#options.changed();
    for (const entry of shown) void this.#check(entry);
  }

  /** A page of older messages; only those older than the oldest shown are new. */
  prepend(page: HistoryPageFrame): void {
    this.firstSeq = page.firstSeq;
    const oldest = this.oldestSeq ?? Infinity;
    const shown = page.messages
      .filter((m) => m.seq < oldest)
      .map((message): ShownMessage => ({ message, verified: undefined }));
    this.messages = [...shown, ...this.messages];
    this.#options.changed();
    for (const entry of shown) void this.#check(entry);
  }

  async #check(entry: ShownMessage): Promise<void> {
    const m = entry.message;
    const { members, roomId } = this.#options;
    members.pin(m.name, m.key.pub);
    const signed = await verifyMessage(m.key, m.sig, { roomId, name: m.name, id: m.id, ts: m.ts, text: m.text });
    const verified = signed && members.isPinned(m.name, m.key.pub);
    entry.verified = verified;
    this.#options.changed();
    this.#options.checked({ ...entry, verified });
  }
}
