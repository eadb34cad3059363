/**
 * The outbox: messages typed but not yet acknowledged, as a small state
 * machine per entry (queued → sending → settled, or failed → retried or
 * dismissed). It owns no socket: each joined socket hands it a Session, and
 * a dropped one puts what was in flight back to queued.
 *
 * An entry is stamped (ts) and signed when it first goes out, not when it is
 * typed, so a long time offline does not make the server refuse it for clock
 * skew; from then on it keeps its id, ts, text and signature for life, so a
 * resend after a reconnect is stored once (the server dedupes on id).
 * With a store, the outbox is kept in IndexedDB and restored on start, so a
 * reload resends each entry with the id and stamp it first went out with. An
 * entry whose stamp the server can no longer take (older than its clock-skew
 * window, or signed under another name or key) is never resent as is: it is
 * shown as failed, and retry() stamps it afresh under a new id.
 * One entry is in flight at a time: the next goes when the server has answered
 * the last (ack, or refusal). Pipelined, a message refused for a moment (rate
 * limited) could be overtaken by a later one the server took, and the room
 * would read out of order; the server's rate limit is far below one message
 * per round trip, so waiting costs nothing a user would notice.
 */
import { encodeBase64url } from '../protocol/base64url.js';
import type { ErrorFrame } from '../protocol/frames.js';
import type { Identity } from './keys.js';
import type { OutboxStore, StoredOutgoing } from './outbox-store.js';
import type { Session } from './room-socket.js';
import { signMessage } from './signing.js';

export interface Outgoing {
  readonly id: string;
  readonly text: string;
  /** Client time, set when the entry is first signed for sending. */
  ts?: number;
  sig?: string;
  /** The name and public key the signature was made under. */
  name?: string;
  pub?: string;
  /** The one stamping and signing of this entry, shared by every flush. */
  signing?: Promise<void>;
  status: 'queued' | 'sending' | 'failed';
  /** The error code that made it fail; `expired` when its stamp can no longer be sent. */
  error?: string;
}

export interface OutboxOptions {
  readonly roomId: string;
  readonly identity: Identity;
  /** Where the outbox outlives the page; in memory only when absent. */
  readonly store?: OutboxStore;
  /** Called after every change of the entries. */
  readonly changed: () => void;
}

/** Refusals after which the same stamp cannot pass: a retry needs a new stamp, hence a new id. */
const RESTAMP = new Set(['expired', 'clock-skew', 'bad-signature']);

/** Kept off the server's skew limit, as the clock offset measured at hello is itself a little off. */
const SKEW_MARGIN_MS = 30_000;

export function newMessageId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

export class Outbox {
  readonly items: Outgoing[] = [];
  readonly #options: OutboxOptions;
  /** The stored outbox has been read back; until then nothing is sent or saved. */
  #restored = false;
  #restoring: Promise<void> | undefined;
  #session: Session | undefined;
  /** The last joined session, still the best guess of name, limits and clock while between sockets. */
  #last: Session | undefined;
  #sentOnSession = new Set<string>();
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * After a temporary refusal (rate limited), nothing more goes out before this time (Date.now()):
   * a message sent meanwhile could be taken before the refused one, and the order would break.
   */
  #pausedUntil = 0;

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  /** Reads the stored entries back (once), then sends what it can. */
  restore(): Promise<void> {
    this.#restoring ??= this.#restore();
    return this.#restoring;
  }

  async #restore(): Promise<void> {
    const { store } = this.#options;
    const stored = store ? await store.load().catch(() => []) : [];
    const known = new Set(this.items.map((o) => o.id));
    // Restored entries were typed before anything typed since the start.
    this.items.unshift(...stored.filter((s) => !known.has(s.id)).map((s): Outgoing => ({ ...s })));
    this.#restored = true;
    this.#changed();
    return this.flush();
  }

  /** A joined socket: everything not failed goes out on it, in order. */
  attach(session: Session): Promise<void> {
    this.#session = session;
    this.#last = session;
    this.#sentOnSession = new Set();
    return this.flush();
  }

  /** The socket went away: what was in flight goes again on the next one. */
  detach(): void {
    this.#session = undefined;
    clearTimeout(this.#retryTimer);
    let changed = false;
    for (const item of this.items)
      if (item.status === 'sending') {
        item.status = 'queued';
        changed = true;
      }
    if (changed) this.#changed();
  }

  /** Queues a message; it goes out now if joined, else after the next join. */
  add(text: string): Outgoing {
    const item: Outgoing = { id: newMessageId(), text, status: 'queued' };
    this.items.push(item);
    this.#changed();
    void this.flush();
    return item;
  }

  /**
   * Sends a failed entry again: with the same id and stamp while the server can
   * still take them (it dedupes on the id), else stamped afresh under a new id.
   * Returns the id it goes out with; undefined when there is no such failed entry.
   */
  retry(id: string): string | undefined {
    const i = this.items.findIndex((o) => o.id === id && o.status === 'failed');
    const old = this.items[i];
    if (!old) return undefined;
    const keep = old.sig === undefined || (!RESTAMP.has(old.error ?? '') && this.#sendable(old));
    const item: Outgoing = keep
      ? { ...old, status: 'queued', error: undefined }
      : { id: newMessageId(), text: old.text, status: 'queued' };
    if (old.sig === undefined) item.signing = undefined;
    this.items.splice(i, 1, item);
    this.#sentOnSession.delete(old.id);
    this.#changed();
    void this.flush();
    return item.id;
  }

  /** Drops a failed entry for good; false when there is no such failed entry. */
  dismiss(id: string): boolean {
    const i = this.items.findIndex((o) => o.id === id && o.status === 'failed');
    if (i < 0) return false;
    this.items.splice(i, 1);
    this.#changed();
    return true;
  }

  /** Drops every entry, stored ones included (the room is gone); resolves to how many there were. */
  async clear(): Promise<number> {
    this.#session = undefined;
    clearTimeout(this.#retryTimer);
    await this.restore();
    const count = this.items.length;
    this.items.splice(0);
    if (count > 0) this.#changed();
    return count;
  }

  /** Whether an entry not sent still carries the refusal `code`. */
  holds(code: string): boolean {
    return this.items.some((o) => o.status === 'failed' && o.error === code);
  }

  /** Stored, acknowledged, or seen in history under our name: done, and the next may go. */
  settle(id: string): void {
    const i = this.items.findIndex((o) => o.id === id);
    if (i < 0) return;
    this.items.splice(i, 1);
    this.#changed();
    void this.flush();
  }

  /** Applies the server's refusal of one entry; false when `frame.ref` is none of ours. */
  refused(frame: ErrorFrame): boolean {
    const item = this.items.find((o) => o.id === frame.ref);
    if (!item) return false;
    // Ids are random and ours alone: the id already stored with other content is this
    // entry, sent in an earlier life of the page before its stamp was saved.
    if (frame.code === 'replay') {
      this.settle(item.id);
      return true;
    }
    if (!frame.temporary) {
      item.status = 'failed';
      item.error = frame.code;
      void this.flush();
    } else {
      // Temporary (rate limited, storage busy): the same frame may pass later, and nothing overtakes it.
      item.status = 'queued';
      this.#sentOnSession.delete(item.id);
      const wait = frame.retryAfterMs ?? 1000;
      this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + wait);
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => void this.flush(), this.#pausedUntil - Date.now());
    }
    this.#changed();
    return true;
  }

  /** Reports a change, and keeps the stored copy in step once it has been read back. */
  #changed(): void {
    if (this.#restored) this.#options.store?.save(this.items.map(toStored)).catch(() => undefined);
    this.#options.changed();
  }

  /** A stamped entry the server would still take as it is: same name and key, within its clock-skew window. */
  #sendable(item: Outgoing): boolean {
    const session = this.#last;
    if (item.ts === undefined || !session) return true;
    const fresh = Math.abs(Date.now() + session.clockOffset - item.ts) < session.limits.clockSkewMs - SKEW_MARGIN_MS;
    return fresh && item.name === session.name && item.pub === this.#options.identity.pub;
  }

  #stamp(item: Outgoing, session: Session): Promise<void> {
    // A restored entry keeps its first stamp.
    item.signing ??=
      item.sig !== undefined
        ? Promise.resolve()
        : (async () => {
            const ts = Date.now() + session.clockOffset;
            const fields = { roomId: this.#options.roomId, name: session.name, id: item.id, ts, text: item.text };
            item.sig = await signMessage(this.#options.identity, fields);
            item.ts = ts;
            item.name = session.name;
            item.pub = this.#options.identity.pub;
          })();
    return item.signing;
  }

  /** Sends the first entry not yet sent on this session, unless one is still waiting for its answer. */
  async flush(): Promise<void> {
    const session = this.#session;
    if (!session?.live() || !this.#restored) return;
    for (const item of this.items) {
      if (Date.now() < this.#pausedUntil) break;
      if (item.status === 'failed') continue;
      // One in flight: the next waits for the server's answer to this one.
      if (item.status === 'sending' || this.#sentOnSession.has(item.id)) break;
      if (!this.#sendable(item)) {
        item.status = 'failed';
        item.error = 'expired';
        continue;
      }
      this.#sentOnSession.add(item.id);
      try {
        await this.#stamp(item, session);
      } catch {
        item.status = 'failed';
        item.error = 'internal';
        continue;
      }
      if (!session.live()) return;
      item.status = 'sending';
      // The stamp is saved as it goes out, so a reload resends this very frame.
      this.#changed();
      const { id, ts, text, sig } = item;
      session.send({ type: 'send', roomId: this.#options.roomId, id, ts, text, sig });
      break;
    }
    this.#changed();
  }
}

function toStored(item: Outgoing): StoredOutgoing {
  const { id, text, ts, sig, name, pub, error } = item;
  return { id, text, ts, sig, name, pub, error, status: item.status === 'failed' ? 'failed' : 'queued' };
}
