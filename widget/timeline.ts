/**
 * The messages shown in one visit of a room, in seq order, each checked once:
 * its signature over the canonical bytes, and its key against the name's pin
 * (members.ts). Older pages go on top; a fresh snapshot after a reconnect that
 * could not resume replaces the list and marks the gap. It never drops or
 * reorders a message the socket delivered. Quiet notices (notices.ts) sit
 * between the messages where they happened; `items` gives both, in order.
 * Moderation actions and tombstones (protocol/moderation.ts) are entries of
 * the same order: they hold their place in the chain, and the moderation
 * chunk (lazy.ts) checks them, so a plain room never loads it.
 */
import { genesisLink } from '../protocol/chain.js';
import type { ChatMessage, Entry, HistoryPageFrame } from '../protocol/frames.js';
import { linkHolds, noLongerInRoom } from './chain-check.js';
import type { Members } from './members.js';
import { mergePresence, newNotice, type Notice } from './notices.js';
import { verifyMessage } from './signing.js';

export interface ShownMessage {
  /** A message, or (with `kind`) an action or a tombstone; a live removal swaps a message for its tombstone. */
  message: Entry;
  /** undefined while the check runs. */
  verified: boolean | undefined;
  /** The sender's key fingerprint, once computed (keys.ts). */
  fingerprint?: string;
  /** Shown before the room's history changed, and not in the room any more. */
  gone?: boolean;
}

/** One row of the conversation, for the view: a checked message or a quiet notice. */
export type TimelineItem = { readonly kind: 'message'; readonly entry: ShownMessage } | Notice;

export interface TimelineOptions {
  readonly roomId: string;
  readonly members: Members;
  readonly changed: () => void;
  /** A message's check finished. */
  readonly checked: (entry: ShownMessage & { message: ChatMessage; verified: boolean; fingerprint: string }) => void;
  /** Checks an action or tombstone against the link before it (the moderation chunk). */
  readonly other: (entry: Exclude<Entry, ChatMessage>, prev: string | Promise<string> | undefined) => Promise<boolean>;
}

export class Timeline {
  /** Messages and notices in the order they are read. */
  items: readonly TimelineItem[] = [];
  /** Earlier messages were lost between two snapshots. */
  gap = false;
  /** The lowest sequence number the server still stores. */
  firstSeq = 1;
  readonly #options: TimelineOptions;
  /** The room's genesis link, once the welcome said when the room was created. */
  #genesis: Promise<string> | undefined;

  constructor(options: TimelineOptions) {
    this.#options = options;
  }

  /** The messages alone, in seq order, less those no longer in the room. */
  get messages(): ShownMessage[] {
    return this.items.flatMap((item) => (item.kind === 'message' && !item.entry.gone ? [item.entry] : []));
  }

  /** The room's creation time, from the welcome: message 1 must extend the genesis link made from it. */
  created(createdAt: number): void {
    this.#genesis ??= genesisLink(this.#options.roomId, createdAt);
  }

  get oldestSeq(): number | undefined {
    return this.messages[0]?.message.seq;
  }

  get hasEarlier(): boolean {
    const oldest = this.oldestSeq;
    return oldest !== undefined && oldest > this.firstSeq;
  }

  /**
   * A snapshot that does not continue what was shown (a reconnect that could
   * not resume). With `changed` (the server answered `ahead` or `rewritten`),
   * the room's history changed: the messages shown that it no longer holds
   * stay, marked, under a notice that says so.
   */
  replace(changed?: { readonly lastSeq: number; readonly messages: readonly Entry[] }): void {
    if (changed) {
      const gone = noLongerInRoom(this.messages, changed);
      for (const entry of gone) entry.gone = true;
      this.gap = false;
      this.items = [
        ...gone.map((entry) => ({ kind: 'message' as const, entry })),
        newNotice({ historyChanged: gone.length }),
      ];
      return this.#options.changed();
    }
    this.gap = this.items.some((item) => item.kind === 'message');
    if (this.gap) this.items = [];
    this.#options.changed();
  }

  append(messages: readonly Entry[]): void {
    if (messages.length === 0) return;
    const shown = messages.map((message): ShownMessage => ({ message, verified: undefined }));
    this.items = [...this.items, ...shown.map((entry) => ({ kind: 'message' as const, entry }))];
    this.#options.changed();
    for (const entry of shown) void this.#check(entry);
  }

  /** A page of older messages; only those older than the oldest shown are new. */
  prepend(page: HistoryPageFrame): void {
    this.firstSeq = page.firstSeq;
    const before = this.messages[0];
    const oldest = before?.message.seq ?? Infinity;
    const shown = page.messages
      .filter((m) => m.seq < oldest)
      .map((message): ShownMessage => ({ message, verified: undefined }));
    this.items = [...shown.map((entry) => ({ kind: 'message' as const, entry })), ...this.items];
    this.#options.changed();
    for (const entry of shown) void this.#check(entry);
    // The message that was oldest now has its predecessor shown: its link can be checked at last.
    if (before && shown.at(-1)?.message.seq === before.message.seq - 1) void this.#recheckLink(before);
  }

  /** Someone joined or left: a notice, merged into the last one when they come together. */
  presence(event: 'join' | 'leave', name: string): void {
    const last = this.items.at(-1);
    if (last?.kind === 'notice' && mergePresence(last, event, name)) {
      // A join and a leave that cancel out leave nothing to say.
      if (last.joined.length + last.left.length === 0) this.items = this.items.slice(0, -1);
      else this.items = [...this.items];
    } else {
      this.items = [...this.items, newNotice(event === 'join' ? { joined: [name] } : { left: [name] })];
    }
    this.#options.changed();
  }

  /** Any other notice (a changed key). */
  notice(notice: Notice): void {
    this.items = [...this.items, notice];
    this.#options.changed();
  }

  async #check(entry: ShownMessage): Promise<void> {
    const m = entry.message;
    const { members, roomId } = this.#options;
    if ('kind' in m) {
      entry.verified = await this.#options.other(m, this.#prevLink(m));
      return this.#options.changed();
    }
    members.pin(m.name, m.key.pub);
    const [signed, linked] = await Promise.all([
      verifyMessage(m.key, m.sig, { roomId, name: m.name, id: m.id, ts: m.ts, text: m.text }),
      linkHolds(this.#prevLink(m), m),
    ]);
    const verified = signed && linked && members.isPinned(m.name, m.key.pub);
    entry.verified = verified;
    const fp = await members.learn(m.key);
    entry.fingerprint = fp;
    this.#options.changed();
    this.#options.checked({ ...entry, message: m, verified, fingerprint: fp });
  }

  /** The link `m` must extend: its shown predecessor's, the genesis link for message 1, else unknown. */
  #prevLink(m: Entry): string | Promise<string> | undefined {
    if (m.seq === 1) return this.#genesis;
    return this.messages.find((e) => e.message.seq === m.seq - 1)?.message.chain;
  }

  async #recheckLink(entry: ShownMessage): Promise<void> {
    const m = entry.message;
    // An action's check (the moderation chunk) had its predecessor at hand or passes without one: checked once.
    if ('kind' in m || (await linkHolds(this.#prevLink(m), m))) return;
    entry.verified = false;
    this.#options.changed();
  }
}
