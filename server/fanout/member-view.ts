/**
 * The member list a room's local sockets hold, and the presence frames that
 * keep it equal to storage's. Changes are gathered for one presence tick;
 * then the list is re-read and the difference goes out as one `presence`
 * frame (joins and leaves by name), so a burst of n joins costs each socket
 * one frame per tick rather than n, and a name that joined and left within
 * the tick is never mentioned. Only sockets that follow the whole list get
 * the names (those whose welcome listed everyone, and those that asked for
 * the first `members` page); the others get the count alone, so that a join
 * into a room of n costs O(1) bytes per member, not O(n) to everyone. A lost
 * or late event costs a stale list until the next tick, never a wrong one.
 *
 * Must never: send a frame that does not change what the sockets hold, let
 * two reads interleave, or answer a page from anything but the list the
 * sockets hold (so that pages and presence frames on one socket agree).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Storage } from '../../adapters/types.js';
import type { Member } from '../../protocol/frames.js';
import type { Clock } from '../clock.js';
import { isOutage } from '../storage-guard.js';
import { encode, presenceFrame } from '../wire/build.js';
import { EncodedFrame } from '../wire/encoded-frame.js';

export interface MemberViewOptions {
  readonly roomId: string;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: FastifyBaseLogger;
  /** How long changes are gathered before the list is re-read (the `presenceTickMs` option). */
  readonly tickMs: number;
  /**
   * Sends a tick's changes to every welcomed socket: `changes` to those that
   * follow the whole list, `count` (the new count alone, undefined when it did
   * not change) to the others.
   */
  readonly broadcast: (changes: EncodedFrame, count: EncodedFrame | undefined) => void;
}

/** A slice of the list in name order, the name to continue after (null at the end), and the count. */
export interface MemberPage {
  readonly members: Member[];
  readonly next: string | null;
  readonly count: number;
}

/** A big room's tick is a millisecond per this many members (see `changed`). */
export const MEMBERS_PER_MS = 4;

/** Name order: UTF-16 code units, as the adapters sort (adapters/rules.ts membersByName). */
const byName = (a: Member, b: Member): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const sameKey = (a: Member, b: Member): boolean => a.key.pub === b.key.pub && a.key.alg === b.key.alg;

export class MemberView {
  readonly #opts: MemberViewOptions;
  /** The member list every welcomed peer currently holds. */
  #view = new Map<string, Member>();
  /** The same list in name order, made when first asked for after a change. */
  #ordered: Member[] | undefined = [];
  /** The first read, which a welcome waits for; later reads come with the ticks. */
  #loaded: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> | undefined;
  #again = false;
  #disposed = false;

  constructor(opts: MemberViewOptions) {
    this.#opts = opts;
  }

  get count(): number {
    return this.#view.size;
  }

  /**
   * Up to `limit` members after the name `after` (from the start without it),
   * in name order. `self`, the asking socket's member, is added when the list
   * does not have it yet: a joining socket is in its own list from its
   * welcome on, and the next presence frame names it, which changes nothing
   * for it. A welcome never waits for a tick.
   */
  page(after: string | undefined, limit: number, self?: Member): MemberPage {
    const list = (this.#ordered ??= [...this.#view.values()].sort(byName));
    const missing = self !== undefined && !this.#view.has(self.name);
    const count = this.#view.size + (missing ? 1 : 0);
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
    let more = from + limit < list.length;
    if (missing && (after === undefined || self.name > after)) {
      const at = members.findIndex((m) => m.name > self.name);
      if (at >= 0) {
        members.splice(at, 0, self);
        if (members.length > limit) {
          members.pop();
          more = true;
        }
      } else if (!more && members.length < limit) members.push(self);
      else more = true;
    }
    return { members, next: more ? members[members.length - 1]!.name : null, count };
  }

  /** Resolves once the list has been read at least once (at once after the first time); rejects if that read fails. */
  ready(): Promise<void> {
    this.#loaded ??= this.#refresh(true).catch((err: unknown) => {
      this.#loaded = undefined;
      throw err;
    });
    return this.#loaded;
  }

  /**
   * Something changed in storage: re-read at the end of this tick (one tick
   * per room at a time). A big room's tick is longer, a millisecond for every
   * four members once that is above the option, so that a room's presence
   * frames cost at most about four thousand socket writes a second, however
   * big it grows (a frame per socket per tick).
   */
  changed(): void {
    if (this.#disposed || this.#timer) return;
    const tick = Math.max(this.#opts.tickMs, Math.ceil(this.#view.size / MEMBERS_PER_MS));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#refresh(false);
    }, tick);
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One read at a time; a tick that comes during a read is taken a tick after it. */
  async #refresh(rethrow: boolean): Promise<void> {
    if (this.#disposed) return;
    if (this.#reading) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = this.#read();
    try {
      await this.#reading;
    } catch (err) {
      // An outage is logged once, at error, by the storage guard: a refresh it refused is not another fault.
      this.#opts.log[isOutage(err) ? 'debug' : 'error'](
        { err, roomId: this.#opts.roomId },
        'member list refresh failed',
      );
      if (rethrow) throw err;
    } finally {
      this.#reading = undefined;
      if (this.#again) {
        this.#again = false;
        this.changed();
      }
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
    const counted = next.size !== this.#view.size;
    this.#view = next;
    this.#ordered = undefined;
    broadcast(
      new EncodedFrame(encode(presenceFrame(joined.sort(byName), left.sort(byName), next.size))),
      counted ? new EncodedFrame(encode(presenceFrame([], [], next.size))) : undefined,
    );
  }
}
