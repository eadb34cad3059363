/**
 * Rate-limit buckets in Redis (adapters/types.ts RateStore), for servers
 * that share one Redis: a token bucket per user and a window counter per IP
 * address, each one key (one cluster slot), changed by one script on Redis's
 * clock, so that every instance spends from the same budget.
 */
import { connect, DEFAULT_PREFIX, type RedisClient, type RedisConnectionOptions } from './connection.js';
import { ScriptRunner } from './run.js';
import type { RateStore } from '../types.js';

/**
 * KEYS: the bucket. ARGV: perSecond, burst. A bucket not seen is full; one
 * idle until full again expires. Returns 0 (spent) or the ms to wait.
 */
const TAKE = `
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(h[1]) or burst, tonumber(h[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
if tokens < 1 then return math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return 0
`;

/** KEYS: the window counter. ARGV: windowMs. Returns {count, ttlMs}. */
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

const SCRIPTS = { take: TAKE, hit: HIT } as const;

export class RedisRateStore implements RateStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #scripts: ScriptRunner<keyof typeof SCRIPTS>;

  constructor(options: RedisConnectionOptions) {
    this.#redis = connect(options, 'rates');
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#scripts = new ScriptRunner(this.#redis, SCRIPTS);
  }

  async take(key: string, perSecond: number, burst: number): Promise<number> {
    const r = (await this.#scripts.run('take', this.#key('bucket', key), [perSecond, burst])) as unknown;
    return Number(r);
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    const r = (await this.#scripts.run('hit', this.#key('window', key), [windowMs])) as unknown as [number, number];
    return { count: Number(r[0]), ttlMs: Number(r[1]) };
  }

  /** Resolves once Redis answers. */
  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }

  /** The key is its own hash tag: each bucket is one slot of a cluster. */
  #key(kind: string, key: string): string {
    return `${this.#prefix}:rate:${kind}:{${key}}`;
  }
}

/** Rate-limit buckets in Redis, for servers that share it (the `rates` option). */
export async function createRedisRateStore(options: RedisConnectionOptions): Promise<RateStore> {
  const store = new RedisRateStore(options);
  await store.ping();
  return store;
}
