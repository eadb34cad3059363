/**
 * What the Redis storage and the Redis event bus share: how to reach Redis
 * and under which prefix, and how a client is made from that. Each of them
 * opens its own connections, so a slow script never delays an event and a
 * subscribed connection (which can run no other command) is never shared.
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  /** redis://[user:password@]host:port[/db]; rediss:// for TLS. */
  url: string;
  /** Prefix of every key and of the event channel; instances sharing rooms share it. Default "tiny-chat". */
  prefix?: string;
  /** Extra ioredis options (TLS, sentinels...). */
  redis?: RedisOptions;
}

export const DEFAULT_PREFIX = 'tiny-chat';

export function connect(options: RedisConnectionOptions): Redis {
  return new Redis(options.url, { maxRetriesPerRequest: 3, ...options.redis });
}
