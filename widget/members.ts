/**
 * Who is in the room, with each member's key fingerprint, and the key each
 * name was first seen with in this visit (its pin). A message whose key is
 * not the pinned one for its name is not verified, whatever its signature:
 * a change of key means the server is lying or someone else took the name.
 * It must never re-pin a name to a new key within one visit.
 *
 * A big room's welcome lists only the first page of members, and its
 * `presence` frames name nobody until the socket asks for the first `members`
 * page (docs/protocol.md): so while the list is on show it follows the room
 * from the first page on, and pages on as the reader reaches its end. Pages
 * and the frames around them together are exactly the live list.
 */
import type { Member, MembersFrame, MembersPageFrame, PublicKey } from '../protocol/frames.js';
import { fingerprint } from './keys.js';

export class Members {
  /** The members known: the welcome's first page or the pages fetched, and those seen joining since. */
  list: readonly Member[] = [];
  /** How many members the room has in all, as the server last said; a big room's list holds only some. */
  count = 0;
  /**
   * The `after` of the next page to ask for: undefined while the socket does
   * not follow the list (its welcome was cut, no page asked yet), null once the
   * list is whole.
   */
  #next: string | null | undefined = null;
  /** A page was asked for and not answered yet (the frame has no id: one at a time). */
  #asking = false;
  readonly #fingerprints = new Map<string, string>();
  readonly #pinned = new Map<string, string>();
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** A new visit: nobody is known, nothing is pinned. */
  reset(): void {
    this.list = [];
    this.count = 0;
    this.#next = null;
    this.#asking = false;
    this.#pinned.clear();
    this.#changed();
  }

  /** Pins `name` to `pub` unless it is pinned already. */
  pin(name: string, pub: string): void {
    if (!this.#pinned.has(name)) this.#pinned.set(name, pub);
  }

  isPinned(name: string, pub: string): boolean {
    return this.#pinned.get(name) === pub;
  }

  /** The key's fingerprint once computed (see keys.ts), else undefined. */
  fingerprintOf(pub: string): string | undefined {
    return this.#fingerprints.get(pub);
  }

  /** Computes and keeps a key's fingerprint for fingerprintOf(). */
  learn(key: PublicKey): Promise<string> {
    return fingerprint(key).then((fp) => {
      if (!this.#fingerprints.has(key.pub)) {
        this.#fingerprints.set(key.pub, fp);
        this.#changed();
      }
      return fp;
    });
  }

  /** Adds a member (pinning its key); false when the name was listed already. */
  add(member: Member): boolean {
    this.pin(member.name, member.key.pub);
    void this.learn(member.key);
    if (this.list.some((m) => m.name === member.name)) return false;
    this.list = [...this.list, member];
    this.#changed();
    return true;
  }

  /**
   * A `welcome` on a new socket: its member list, and whether it was all of
   * them. A cut list (a big room) makes the socket a non-follower: its
   * presence frames carry only the count until it asks for the first page.
   */
  welcomed(members: readonly Member[], count: number): void {
    this.keepOnly(new Set(members.map((m) => m.name)));
    this.count = count;
    for (const m of members) this.add(m);
    this.#next = members.length < count ? undefined : null;
    this.#asking = false;
  }

  /** The socket does not follow the list yet: the names shown may be stale until the first page is asked for. */
  get following(): boolean {
    return this.#next !== undefined;
  }

  /** The list is followed and has pages still to fetch (a next page follows on the first, never before it). */
  get more(): boolean {
    return typeof this.#next === 'string';
  }

  /**
   * The next `members` frame to send, marked as asked; undefined when one is
   * on its way or the list is whole. `send` says whether it went out.
   */
  ask(send: (frame: MembersFrame) => boolean): void {
    if (this.#asking || this.#next === null) return;
    this.#asking = send(this.#next === undefined ? { type: 'members' } : { type: 'members', after: this.#next });
  }

  /**
   * A page answered: the first page (after null) is the list from now on, as
   * the socket follows from it; later pages add the names not yet listed (a
   * join applied meanwhile may have listed one already).
   */
  page(frame: MembersPageFrame): void {
    this.#asking = false;
    const listed = new Set(frame.after === null ? [] : this.list.map((m) => m.name));
    if (frame.after === null) this.list = [];
    const added = frame.members.filter((m) => !listed.has(m.name));
    for (const m of added) {
      this.pin(m.name, m.key.pub);
      void this.learn(m.key);
    }
    this.list = [...this.list, ...added];
    this.count = frame.memberCount;
    this.#next = frame.next;
    this.#changed();
  }

  /**
   * A `presence` frame: removes `left`, adds `joined` (pinning their keys),
   * takes the server's count. Returns the members newly listed.
   */
  apply(joined: readonly Member[], left: readonly Member[], count: number): Member[] {
    const gone = new Set(left.map((m) => m.name));
    const kept = this.list.filter((m) => !gone.has(m.name));
    const listed = new Set(kept.map((m) => m.name));
    const added: Member[] = [];
    for (const m of joined) {
      this.pin(m.name, m.key.pub);
      void this.learn(m.key);
      if (!listed.has(m.name)) added.push(m);
    }
    this.list = [...kept, ...added];
    this.count = count;
    this.#changed();
    return added;
  }

  /** Removes a member by name; the member removed, or undefined when not listed. */
  remove(name: string): Member | undefined {
    const gone = this.list.find((m) => m.name === name);
    if (!gone) return undefined;
    this.list = this.list.filter((m) => m !== gone);
    this.#changed();
    return gone;
  }

  /** Keeps only the listed names (a welcome's member list after a reconnect). */
  keepOnly(names: ReadonlySet<string>): void {
    this.list = this.list.filter((m) => names.has(m.name));
    this.#changed();
  }
}
