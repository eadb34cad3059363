/**
 * Slow mode (protocol/moderation.ts `slow`): at least `intervalMs` between one
 * member's messages in a room. The interval is what the room's stored actions
 * last set (RoomRules, one per room group); the per-member clocks live in the
 * shared RateStore when instances share one (so a member cannot send once per
 * instance), else in this instance's memory.
 *
 * Must never: cost a send anything when slow mode is off, or let the wall
 * clock (fakeable) decide the wait.
 */
import type { RateStore } from '../../adapters/types.js';
import { ChatError } from '../../protocol/errors.js';
import { within } from '../storage-guard.js';

const monotonicMs = (): number => performance.now();
/** How often forgotten members' clocks are dropped. */
const PRUNE_EVERY_MS = 60_000;

/**
 * A room's slow-mode interval as this instance knows it. Both the room read at
 * a join and each live `slow` action update it; whichever covers the later seq
 * wins, so a join's older read cannot undo a newer action.
 */
export class RoomRules {
  slowModeMs = 0;
  #seq = -1;

  /** `seq`: the room's last seq when `slowModeMs` was read, or the `slow` action's own seq. */
  note(slowModeMs: number, seq: number): void {
    if (seq < this.#seq) return;
    this.#seq = seq;
    this.slowModeMs = slowModeMs;
  }
}

export class SlowMode {
  /** Per room and member: when (monotonic ms) the next message is allowed. */
  readonly #next = new Map<string, number>();
  readonly #shared: RateStore | undefined;
  readonly #timeoutMs: number;
  #prunedAt = monotonicMs();

  constructor(shared: RateStore | undefined, timeoutMs: number) {
    this.#shared = shared;
    this.#timeoutMs = timeoutMs;
  }

  /** Spends the member's turn, or throws `slow-mode` with the wait. */
  take(roomId: string, member: string, intervalMs: number): void | Promise<void> {
    const key = `slow:${roomId}:${member}`;
    if (this.#shared) return this.#takeShared(this.#shared, key, intervalMs);
    const now = monotonicMs();
    if (now - this.#prunedAt > PRUNE_EVERY_MS) this.#prune(now);
    const next = this.#next.get(key) ?? 0;
    if (next > now) throw new ChatError('slow-mode', undefined, { retryAfterMs: Math.ceil(next - now) });
    this.#next.set(key, now + intervalMs);
  }

  /** A bucket of one token that refills once per interval: the same rule, on the shared store's clock. */
  async #takeShared(shared: RateStore, key: string, intervalMs: number): Promise<void> {
    const wait = await within(shared.take(key, 1000 / intervalMs, 1), this.#timeoutMs).catch(() => {
      throw new ChatError('storage-unavailable');
    });
    if (wait > 0) throw new ChatError('slow-mode', undefined, { retryAfterMs: wait });
  }

  #prune(now: number): void {
    this.#prunedAt = now;
    for (const [key, next] of this.#next) if (next <= now) this.#next.delete(key);
  }
}
