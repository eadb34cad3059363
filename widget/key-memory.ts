/**
 * The key each member had in a room, remembered across visits (IndexedDB,
 * record `members:<profile>:<room>`), so a key that changed since the last
 * visit is announced ("Bob's key changed"), as messaging apps do. Within one
 * visit members.ts pins keys; this only spans visits. It never throws (a
 * failed read or write just means nothing is announced) and never blocks a
 * message from showing.
 */
import { idbGet, idbPut } from './idb.js';

export const keyMemoryKey = (profile: string, roomId: string): string => `members:${profile}:${roomId}`;

export class KeyMemory {
  readonly #key: string;
  #known: Promise<Record<string, string>> | undefined;
  /** Names announced in this visit: each change is said once. */
  readonly #announced = new Set<string>();
  #write: Promise<void> = Promise.resolve();

  constructor(profile: string, roomId: string) {
    this.#key = keyMemoryKey(profile, roomId);
  }

  /** Remembers `pub` for `name`; true when a different key was remembered for it before. */
  async seen(name: string, pub: string): Promise<boolean> {
    this.#known ??= idbGet<Record<string, string>>(this.#key).then(
      (stored) => ({ ...stored }),
      () => ({}),
    );
    const known = await this.#known;
    const before = known[name];
    if (before === pub) return false;
    known[name] = pub;
    const snapshot = { ...known };
    this.#write = this.#write.then(() => idbPut(this.#key, snapshot)).catch(() => undefined);
    if (before === undefined || this.#announced.has(name)) return false;
    this.#announced.add(name);
    return true;
  }
}
