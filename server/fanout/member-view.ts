/**
 * The member list a room's local sockets hold, and the presence frames that
 * keep it equal to storage's. Changes are gathered for one presence tick;
 * then the list is re-read and the difference goes out as one `presence`
 * frame (joins and leaves by name), so a burst of n joins costs each socket
 * one frame per tick rather than n, and a name that joined and left within
 * the tick is never mentioned. A lost or late event costs a stale list until
 * the next tick, never a wrong one.
 *
 * Must never: send a frame that does not change what the sockets hold, let
 * two reads interleave, or answer a page from anything but the list the
 * sockets hold (so that pages and presence frames on one socket agree).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Storage } from '../../adapters/types.js';
import type { Member } from '../../protocol/frames.js';
import type { Clock } from '../clock.js';
import { encode, presenceFrame } from '../wire/build.js';
import { EncodedFrame } from '../wire/encoded-frame.js';

export interface MemberViewOptions {
  readonly roomId: string;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: FastifyBaseLogger;
  /** How long changes are gathered before the list is re-read (the `presenceTickMs` option). */
  readonly tickMs: number;
  /** Sends a frame to every welcomed socket of the room. */
  readonly broadcast: (data: EncodedFrame) => void;
}

/** A slice of the list in name order, and the name to continue after (null at the end). */
export interface MemberPage {
  readonly members: Member[];
  readonly next: string | null;
}

interface Waiter {
  readonly mark: number;
  resolve(): void;
  reject(err: unknown): void;
}

/** Name order: UTF-16 code units, as the adapters sort (adapters/rules.ts membersByName). */
const byName = (a: Member, b: Member): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const sameKey = (a: Member, b: Member): boolean => a.key.pub === b.key.pub && a.key.alg === b.key.alg;

export class MemberView {
  readonly #opts: MemberViewOptions;
  /** The member list every welcomed peer currently holds. */
  #view = new Map<string, Member>();
  /** The same list in name order, made when first asked for after a change. */
  #ordered: Member[] | undefined = [];
  #timer: NodeJS.Timeout | undefined;
  #reading = false;
  #again = false;
  #disposed = false;
  readonly #waiters: Waiter[] = [];
  /** Reads are numbered as they start; the latest that finished. */
  #started = 0;
  #finished = 0;

  constructor(opts: MemberViewOptions) {
    this.#opts = opts;
  }

  get count(): number {
    return this.#view.size;
  }

  /** Up to `limit` members after the name `after` (from the start without it), in name order. */
  page(after: string | undefined, limit: number): MemberPage {
    const list = (this.#ordered ??= [...this.#view.values()].sort(byName));
    let from = 0;
    if (after !== undefined) {
      // The first name above `after`: binary search, the list may be long.
      let hi = list.length;
      while (from < hi) {
        const mid = (from + hi) >>> 1;
        if (list[mid]!.name <= after) from = mid + 1;
        else hi = mid;
      }
    }
    const members = list.slice(from, from + limit);
    const next = from + limit < list.length ? members[members.length - 1]!.name : null;
    return { members, next };
  }

  /** Marks now: `sync(mark)` is then satisfied by any read that starts after this call. */
  mark(): number {
    return this.#started;
  }

  /** Something changed in storage: re-read at the end of this tick (one tick per room at a time). */
  changed(): void {
    if (this.#disposed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#refresh();
    }, this.#opts.tickMs);
  }

  /**
   * Resolves once a read that started after `mark` has finished and its
   * difference went out, at the next tick at the latest; rejects when that
   * read fails. A join waits for this, so its welcome lists itself.
   */
  sync(mark: number): Promise<void> {
    if (this.#finished > mark || this.#disposed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ mark, resolve, reject });
      this.changed();
    });
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  async #refresh(): Promise<void> {
    if (this.#disposed) return;
    if (this.#reading) {
      // A read is slower than a tick: one more follows it, a tick later.
      this.#again = true;
      return;
    }
    this.#reading = true;
    const id = ++this.#started;
    let failure: unknown;
    try {
      await this.#read();
      this.#finished = id;
    } catch (err) {
      failure = err;
      this.#opts.log.error({ err, roomId: this.#opts.roomId }, 'member list refresh failed');
    } finally {
      this.#reading = false;
    }
    this.#settle(id, failure);
    if (this.#again) {
      this.#again = false;
      this.changed();
    }
  }

  #settle(id: number, failure: unknown): void {
    const due = this.#waiters.filter((w) => w.mark < id);
    if (due.length === 0) return;
    const left = this.#waiters.filter((w) => w.mark >= id);
    this.#waiters.splice(0, this.#waiters.length, ...left);
    for (const w of due) {
      if (failure === undefined) w.resolve();
      else w.reject(failure);
    }
  }

  async #read(): Promise<void> {
    const { storage, clock, roomId, broadcast } = this.#opts;
    const list = await storage.listMembers(roomId, clock.now());
    if (this.#disposed) return;
    const next = new Map<string, Member>();
    for (const m of list) next.set(m.name, { name: m.name, key: m.key });
    const left: Member[] = [];
    const joined: Member[] = [];
    for (const [name, member] of this.#view) if (!next.has(name)) left.push(member);
    for (const [name, member] of next) {
      const had = this.#view.get(name);
      // Names are pinned to one key for the room's life; were one not, its join would replace the entry.
      if (!had || !sameKey(had, member)) joined.push(member);
    }
    if (left.length === 0 && joined.length === 0) return;
    this.#view = next;
    this.#ordered = undefined;
    broadcast(new EncodedFrame(encode(presenceFrame(joined.sort(byName), left.sort(byName), next.size))));
  }
}
