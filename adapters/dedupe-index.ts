/**
 * One room's dedupe entries in memory, oldest first: what the memory adapter
 * keeps as its state and the SQLite adapter as its index of the rows it wrote.
 * Pruning walks from the oldest and stops at the first entry still needed,
 * so an append costs what it removes, never a walk over the window (a scan
 * of the Map would also walk the holes its deletions leave).
 *
 * Must never decide what a duplicate is: adapters/rules.ts does.
 */
import type { DedupeRecord } from './rules.js';

export class DedupeIndex {
  /** "name\nid" -> what was stored under it */
  readonly #entries = new Map<string, DedupeRecord>();
  /** The keys of #entries in the order they were added (seq order); those before #head are pruned. */
  #order: string[] = [];
  #head = 0;

  get size(): number {
    return this.#entries.size;
  }

  get(name: string, id: string): DedupeRecord | undefined {
    return this.#entries.get(`${name}\n${id}`);
  }

  /** Adds an entry; entries come in seq order. */
  add(name: string, id: string, record: DedupeRecord): void {
    const key = `${name}\n${id}`;
    this.#entries.set(key, record);
    this.#order.push(key);
  }

  /**
   * Forgets, oldest first, the entries whose message is no longer stored
   * (seq below `firstSeq`) and that were stored before `storedBefore`.
   * Returns the highest seq forgotten, or 0. One kept past its window (a
   * clock that went back) does no harm: the contract says only when one must
   * be known.
   */
  prune(firstSeq: number, storedBefore: number): number {
    let highest = 0;
    const order = this.#order;
    while (this.#head < order.length) {
      const key = order[this.#head]!;
      const d = this.#entries.get(key)!;
      if (d.seq >= firstSeq || d.storedAt >= storedBefore) break;
      this.#entries.delete(key);
      this.#head++;
      highest = d.seq;
    }
    // Drop the pruned keys once they are half the array, so it stays bounded by the window.
    if (this.#head > 1024 && this.#head * 2 > order.length) {
      this.#order = order.slice(this.#head);
      this.#head = 0;
    }
    return highest;
  }
}
