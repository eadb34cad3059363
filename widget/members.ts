/**
 * Who is in the room, with each member's key fingerprint, and the key each
 * name was first seen with in this visit (its pin). A message whose key is
 * not the pinned one for its name is not verified, whatever its signature:
 * a change of key means the server is lying or someone else took the name.
 * It must never re-pin a name to a new key within one visit.
 */
import type { Member, PublicKey } from '../protocol/frames.js';
import { MEMBER_PAGE } from '../protocol/limits.js';
import { fingerprint } from './keys.js';

export class Members {
  /** The members known: the welcome's first page, and those seen joining since. */
  list: readonly Member[] = [];
  /** How many members the room has in all, as the server last said; a big room's list holds only some. */
  count = 0;
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

  /** What to show: at most a page, the total being `count`. */
  get shown(): readonly Member[] {
    return this.list.length > MEMBER_PAGE ? this.list.slice(0, MEMBER_PAGE) : this.list;
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
