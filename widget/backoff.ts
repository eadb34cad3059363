/**
 * Reconnect delays: exponential with "equal jitter", so a server restart is
 * not met by every client at the same instant, yet no client retries at once
 * in a tight loop.
 */

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** Delay before retry number `attempt` (0 for the first); `random` returns [0, 1). */
export function backoffDelay(attempt: number, options = DEFAULT_BACKOFF, random = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
