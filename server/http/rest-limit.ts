/**
 * The REST rate limit per IP address (@fastify/rate-limit), answered with the
 * same coded body as every other REST error. Its windows are in this
 * instance's memory, or in the shared RateStore when the server has one
 * (instances on one Redis), so an address has one budget over all of them.
 */
import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { RateStore } from '../../adapters/types.js';
import { ChatError } from '../../protocol/errors.js';
import type { Security } from '../options/schema.js';
import { within } from '../storage-guard.js';

/** @fastify/rate-limit's store interface over a RateStore's window counters. */
function sharedStore(rates: RateStore, timeoutMs: number): new () => FastifyRateLimitStore {
  return class SharedWindows implements FastifyRateLimitStore {
    incr(key: string, callback: (err: Error | null, res?: { current: number; ttl: number }) => void, windowMs: number) {
      within(rates.hit(`rest:${key}`, windowMs), timeoutMs).then(
        ({ count, ttlMs }) => callback(null, { current: count, ttl: ttlMs }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

export async function restRateLimit(
  app: FastifyInstance,
  security: Readonly<Security>,
  rates: RateStore | undefined,
  timeoutMs: number,
): Promise<void> {
  await app.register(rateLimit, {
    max: security.restRateMax,
    timeWindow: security.restRateWindowMs,
    // A shared store that does not answer lets requests through rather than failing every one of them.
    ...(rates ? { store: sharedStore(rates, timeoutMs), skipOnError: true } : {}),
    // Thrown by the plugin, so the scope's error handler writes the body.
    errorResponseBuilder: (_request, context) =>
      new ChatError('rate-limited', undefined, { retryAfterMs: Math.max(1, context.ttl) }),
  });
}
