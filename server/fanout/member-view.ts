/**
 * The member list a room's local sockets hold, and the presence frames that
 * keep it equal to storage's: each refresh re-reads the list and sends the
 * difference, so a lost or late event costs a stale list until the next one,
 * never a wrong one.
 *
 * Must never: send a frame that does not change what the sockets hold, or
 * let two refreshes interleave.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Storage } from '../../adapters/types.js';
import type { Member, PresenceFrame } from '../../protocol/frames.js';
import type { Clock } from '../clock.js';
import { encode, presenceFrame } from '../wire/build.js';
import { EncodedFrame } from '../wire/encoded-frame.js';

export interface MemberViewOptions {
  readonly roomId: string;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: FastifyBaseLogger;
  /** Sends a frame to every welcomed socket of the room. */
  readonly broadcast: (data: EncodedFrame) => void;
}

export class MemberView {
  readonly #opts: MemberViewOptions;
  /** The member list every welcomed peer currently holds. */
  #view = new Map<string, Member>();
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;
  #disposed = false;
  /** Reads are numbered as they start: the one in flight, and the latest that finished. */
  #started = 0;
  #current = 0;
  #finished = 0;

  constructor(opts: MemberViewOptions) {
    this.#opts = opts;
  }

  /** The member list as the sockets hold it; call after `sync` for a join. */
  members(): Member[] {
    return [...this.#view.values()];
  }

  /** Marks now: `sync(mark)` is then satisfied by any read that starts after this call. */
  mark(): number {
    return this.#started;
  }

  /**
   * Re-reads the list and sends the difference. Serialized: one refresh at a
   * time, and one more if asked during it, so the final view always reflects
   * a read made after the last change. With a mark, a read that started after
   * it (finished or in flight) is enough: a join's own presence notice has
   * usually started one already.
   */
  async sync(mark?: number): Promise<void> {
    if (mark !== undefined && this.#finished > mark) return;
    if (this.#refreshing) {
      if (mark === undefined || this.#current <= mark) this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#refreshAgain = false;
          const id = (this.#current = ++this.#started);
          await this.#read();
          this.#finished = id;
        } while (this.#refreshAgain && !this.#disposed);
      } catch (err) {
        this.#opts.log.error({ err, roomId: this.#opts.roomId }, 'member list refresh failed');
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  dispose(): void {
    this.#disposed = true;
  }

  async #read(): Promise<void> {
    const { storage, clock, roomId, broadcast } = this.#opts;
    const list = await storage.listMembers(roomId, clock.now());
    if (this.#disposed) return;
    const next = new Map(list.map((m) => [m.name, { name: m.name, key: m.key }]));
    const frames: PresenceFrame[] = [];
    for (const [name, member] of this.#view) {
      if (!next.has(name)) frames.push(presenceFrame('leave', member, next.size));
    }
    for (const [name, member] of next) {
      const had = this.#view.get(name);
      if (!had || had.key.pub !== member.key.pub || had.key.alg !== member.key.alg) {
        frames.push(presenceFrame('join', member, next.size));
      }
    }
    this.#view = next;
    for (const f of frames) broadcast(new EncodedFrame(encode(f)));
  }
}
