/**
 * One room's presence for the memory adapter: connection id -> name, key and
 * expiry, with the counts kept as entries come and go, so that a join into a
 * room of n costs O(1) rather than a walk over the room (issue 12, big
 * rooms). The kept counts take in every entry, expired or not; they answer
 * only while no entry is past its ttl, and the entries are counted one by
 * one otherwise (the same rule as the SQLite triggers and the Redis scripts).
 *
 * Must never: answer a count that includes an entry past its ttl.
 */
import type { PublicKey } from '../protocol/frames.js';

export interface PresenceValue {
  readonly name: string;
  readonly key: PublicKey;
  readonly expiresAt: number;
}

export class PresenceSet {
  readonly #entries = new Map<string, PresenceValue>();
  /** name -> how many entries carry it. */
  readonly #names = new Map<string, number>();
  /**
   * At or before the earliest expiry among the entries: a heartbeat only
   * moves expiries later, so this stays a lower bound until a walk finds the
   * true one (once per ttl or so in a live room, not once per join).
   */
  #soonest = Number.POSITIVE_INFINITY;

  get(connId: string): PresenceValue | undefined {
    return this.#entries.get(connId);
  }

  set(connId: string, p: PresenceValue): void {
    const had = this.#entries.get(connId);
    if (had) this.#drop(had.name);
    this.#entries.set(connId, p);
    this.#names.set(p.name, (this.#names.get(p.name) ?? 0) + 1);
    this.#soonest = Math.min(this.#soonest, p.expiresAt);
  }

  delete(connId: string): void {
    const had = this.#entries.get(connId);
    if (!had) return;
    this.#entries.delete(connId);
    this.#drop(had.name);
  }

  /** Every entry, live or not, as [connId, value]; safe to delete from while walking. */
  entries(): IterableIterator<[string, PresenceValue]> {
    return this.#entries.entries();
  }

  /** The live entries (their expiry after `now`). */
  live(now: number): PresenceValue[] {
    const out: PresenceValue[] = [];
    for (const p of this.#entries.values()) if (p.expiresAt > now) out.push(p);
    return out;
  }

  connections(now: number): number {
    return this.#exact(now) ? this.#entries.size : this.live(now).length;
  }

  memberCount(now: number): number {
    return this.#exact(now) ? this.#names.size : new Set(this.live(now).map((p) => p.name)).size;
  }

  hasLiveName(name: string, now: number): boolean {
    if (this.#exact(now)) return this.#names.has(name);
    for (const p of this.#entries.values()) if (p.name === name && p.expiresAt > now) return true;
    return false;
  }

  /** True when no entry is past its ttl at `now`, so the kept counts are the live ones. */
  #exact(now: number): boolean {
    if (this.#soonest > now) return true;
    let soonest = Number.POSITIVE_INFINITY;
    for (const p of this.#entries.values()) soonest = Math.min(soonest, p.expiresAt);
    this.#soonest = soonest;
    return soonest > now;
  }

  #drop(name: string): void {
    const n = this.#names.get(name)!;
    if (n === 1) this.#names.delete(name);
    else this.#names.set(name, n - 1);
  }
}
