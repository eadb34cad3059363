/**
 * Token buckets for message rates: one per socket, one per user. A bucket
 * holds up to `burst` tokens and gains `perSecond` a second; a message spends
 * one. Buckets run on the monotonic clock, never on the (fakeable) wall clock,
 * so a clock jump can neither block nor unblock anyone. With a shared
 * RateStore (instances on one Redis) the user buckets live there, on its
 * clock, so a user's sockets on every instance spend from one budget; a
 * socket's bucket is its instance's alone either way.
 */
import type { RateStore } from '../../adapters/types.js';
import { ChatError } from '../../protocol/errors.js';
import type { Rate } from '../options/schema.js';
import { within } from '../storage-guard.js';

const monotonicMs = (): number => performance.now();
/** How often idle user buckets are forgotten. */
const PRUNE_EVERY_MS = 60_000;

export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(readonly rate: Rate) {
    this.#tokens = rate.burst;
    this.#at = monotonicMs();
  }

  /** Milliseconds until one token is available; 0 when there is one now (not spent). */
  wait(now = monotonicMs()): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * 1000) / this.rate.perSecond);
  }

  spend(now = monotonicMs()): void {
    this.#refill(now);
    this.#tokens -= 1;
  }

  /** Gives back a token spent for a message that another bucket then refused. */
  refund(): void {
    this.#tokens = Math.min(this.rate.burst, this.#tokens + 1);
  }

  /** True when the bucket is full again, so forgetting it changes nothing. */
  full(now = monotonicMs()): boolean {
    this.#refill(now);
    return this.#tokens >= this.rate.burst;
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.rate.burst, this.#tokens + ((now - this.#at) * this.rate.perSecond) / 1000);
    this.#at = now;
  }
}

/** Per-socket and per-user message buckets of one server instance. */
export class MessageLimiter {
  readonly #users = new Map<string, TokenBucket>();
  readonly #connectionRate: Rate;
  readonly #userRate: Rate;
  readonly #shared: RateStore | undefined;
  readonly #timeoutMs: number;
  #prunedAt = monotonicMs();

  /** `timeoutMs`: how long the shared store may take to answer (the storage deadline). */
  constructor(connectionRate: Rate, userRate: Rate, shared?: RateStore, timeoutMs = 5000) {
    this.#connectionRate = connectionRate;
    this.#userRate = userRate;
    this.#shared = shared;
    this.#timeoutMs = timeoutMs;
  }

  connectionBucket(): TokenBucket {
    return new TokenBucket(this.#connectionRate);
  }

  /**
   * Spends one token from both buckets, or throws `rate-limited` with the
   * wait, spending nothing: a refused message costs no budget.
   */
  take(connection: TokenBucket, user: string): void | Promise<void> {
    if (this.#shared) return this.#takeShared(this.#shared, connection, user);
    const now = monotonicMs();
    if (now - this.#prunedAt > PRUNE_EVERY_MS) this.#prune(now);
    let userBucket = this.#users.get(user);
    if (!userBucket) this.#users.set(user, (userBucket = new TokenBucket(this.#userRate)));
    const wait = Math.max(connection.wait(now), userBucket.wait(now));
    if (wait > 0) throw new ChatError('rate-limited', undefined, { retryAfterMs: wait });
    connection.spend(now);
    userBucket.spend(now);
  }

  /** The socket's token at once (refused before any round trip), then the user's from the shared store. */
  async #takeShared(shared: RateStore, connection: TokenBucket, user: string): Promise<void> {
    const wait = connection.wait();
    if (wait > 0) throw new ChatError('rate-limited', undefined, { retryAfterMs: wait });
    connection.spend();
    const { perSecond, burst } = this.#userRate;
    const userWait = await within(shared.take(`user:${user}`, perSecond, burst), this.#timeoutMs).catch(() => {
      connection.refund();
      // As when storage does not answer: temporary, the same frame may be sent again.
      throw new ChatError('storage-unavailable');
    });
    if (userWait > 0) {
      connection.refund();
      throw new ChatError('rate-limited', undefined, { retryAfterMs: userWait });
    }
  }

  /** Forgets full user buckets, so the map only holds users active in the last minute or so. */
  #prune(now: number): void {
    this.#prunedAt = now;
    for (const [user, bucket] of this.#users) if (bucket.full(now)) this.#users.delete(user);
  }
}
