/**
 * Keeps the reader's place in the message list. The list sticks to the newest
 * message only while the reader is at the bottom; otherwise every update
 * keeps the first message in view exactly where it was (older messages put on
 * top, newer ones added below), and messages that arrive meanwhile are
 * counted for the "N new messages ↓" pill. It reads and moves the scroll
 * position only: it never changes which messages are shown.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Closer to the end than this (px) counts as at the bottom. */
const SLACK = 4;

type Host = ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment };

export class ScrollController implements ReactiveController {
  /** Messages from others that arrived below the view while the reader was not at the bottom. */
  newCount = 0;
  #atBottom = true;
  /** The highest sequence number the reader has had in view at the bottom. */
  #seen = 0;
  #anchor: { key: string; top: number } | undefined;
  #forceBottom = false;

  constructor(
    private readonly host: Host,
    /** Told whenever the reader reaches or leaves the bottom. */
    private readonly onAtBottom: (atBottom: boolean) => void = () => undefined,
  ) {
    host.addController(this);
  }

  get atBottom(): boolean {
    return this.#atBottom;
  }

  private get list(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>('.messages');
  }

  /** Before the DOM changes: is the reader at the bottom, and if not, which message is first in view? */
  hostUpdate(): void {
    const list = this.list;
    this.#anchor = undefined;
    if (!list) return;
    this.#setAtBottom(list.scrollHeight - list.scrollTop - list.clientHeight <= SLACK);
    if (this.#atBottom) return;
    const top = list.getBoundingClientRect().top;
    for (const li of list.querySelectorAll<HTMLElement>('li[data-seq], li[data-id]')) {
      const r = li.getBoundingClientRect();
      if (r.bottom > top) {
        this.#anchor = { key: rowKey(li), top: r.top };
        break;
      }
    }
  }

  /** After it changed: stick to the bottom, or put the anchor back where it was; count what arrived below. */
  hostUpdated(): void {
    const list = this.list;
    if (!list) return;
    if (this.#atBottom || this.#forceBottom) {
      this.#forceBottom = false;
      list.scrollTop = list.scrollHeight;
      if (this.newCount > 0) this.host.requestUpdate();
      this.#markSeen(list);
      return;
    }
    if (this.#anchor) {
      const li = [...list.querySelectorAll<HTMLElement>('li[data-seq], li[data-id]')].find(
        (row) => rowKey(row) === this.#anchor!.key,
      );
      if (li) list.scrollTop += li.getBoundingClientRect().top - this.#anchor.top;
    }
    const rows = list.querySelectorAll<HTMLElement>('li.message[data-seq]');
    // Another room (or a fresh snapshot) starts its numbers again.
    const newest = Number(rows[rows.length - 1]?.dataset['seq'] ?? 0);
    if (newest < this.#seen) this.#seen = 0;
    const unseen = list.querySelectorAll(`li.message[data-seq]:not(.own)`);
    const count = [...unseen].filter((li) => Number((li as HTMLElement).dataset['seq']) > this.#seen).length;
    if (count !== this.newCount) {
      this.newCount = count;
      this.host.requestUpdate();
    }
  }

  /** The list's scroll handler: reaching the bottom by hand clears the pill. */
  readonly onScroll = (): void => {
    const list = this.list;
    if (!list) return;
    this.#setAtBottom(list.scrollHeight - list.scrollTop - list.clientHeight <= SLACK);
    if (this.#atBottom && this.newCount > 0) {
      this.#markSeen(list);
      this.host.requestUpdate();
    }
  };

  /** Scrolls to the newest message (the pill, or the reader's own message going out). */
  toBottom(): void {
    this.#forceBottom = true;
    this.host.requestUpdate();
  }

  #markSeen(list: HTMLElement): void {
    const rows = list.querySelectorAll<HTMLElement>('li.message[data-seq]');
    const last = rows[rows.length - 1];
    if (last) this.#seen = Math.max(this.#seen, Number(last.dataset['seq']));
    this.newCount = 0;
    this.#setAtBottom(true);
  }

  #setAtBottom(value: boolean): void {
    if (value === this.#atBottom) return;
    this.#atBottom = value;
    this.onAtBottom(value);
  }
}

function rowKey(li: HTMLElement): string {
  return li.dataset['seq'] !== undefined ? `s${li.dataset['seq']}` : `i${li.dataset['id']}`;
}
