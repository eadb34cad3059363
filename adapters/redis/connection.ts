/**
 * What the Redis storage and the Redis event bus share: how to reach Redis
 * and under which prefix, and how a client is made from that. Each of them
 * opens its own connections, so a slow script never delays an event and a
 * subscribed connection (which can run no other command) is never shared.
 *
 * Every client made here has an 'error' listener (else ioredis prints each
 * failed reconnect to stderr as an unhandled error event) that reports an
 * outage once when it starts, once when it ends, and at most one summary
 * line every 30 s in between.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** Where connection trouble is reported; pino and Fastify's logger fit. */
export interface RedisLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface RedisConnectionOptions {
  /** redis://[user:password@]host:port[/db]; rediss:// for TLS. */
  url: string;
  /** Prefix of every key and of the event channel; instances sharing rooms share it. Default "tiny-chat". */
  prefix?: string;
  /** Extra ioredis options (TLS, sentinels...). */
  redis?: RedisOptions;
  /** Where outages are reported; silent without one (the server reports storage outages itself). */
  logger?: RedisLogger;
}

export const DEFAULT_PREFIX = 'tiny-chat';

const SUMMARY_EVERY_MS = 30_000;

export function connect(options: RedisConnectionOptions, role: string): Redis {
  const client = new Redis(options.url, { maxRetriesPerRequest: 3, ...options.redis });
  watch(client, role, options.logger);
  return client;
}

/** Attaches the error listener and the outage report to a client (also to each `duplicate()`). */
export function watch(client: Redis, role: string, logger: RedisLogger | undefined): void {
  let downSince: number | undefined;
  let errors = 0;
  let lastSummary = 0;
  client.on('error', (err: Error) => {
    const now = Date.now();
    if (downSince === undefined) {
      downSince = lastSummary = now;
      errors = 1;
      logger?.error({ role, reason: err.message }, 'redis unreachable');
      return;
    }
    errors++;
    if (now - lastSummary < SUMMARY_EVERY_MS) return;
    lastSummary = now;
    logger?.warn({ role, errors, downMs: now - downSince, reason: err.message }, 'redis still unreachable');
  });
  client.on('ready', () => {
    if (downSince === undefined) return;
    logger?.info({ role, errors, downMs: Date.now() - downSince }, 'redis reachable again');
    downSince = undefined;
  });
}
