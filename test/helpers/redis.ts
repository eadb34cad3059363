/**
 * The real Redis the tests use: REDIS_URL, else 127.0.0.1:6379. Without
 * REDIS_URL a missing Redis skips the Redis tests with a visible message;
 * with it (CI sets it) a missing Redis is a failure.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when Redis answers; throws when REDIS_URL is set and it does not. */
export async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (err) {
    if (process.env.REDIS_URL)
      throw new Error(`REDIS_URL=${REDIS_URL} is set but Redis does not answer: ${String(err)}`);
    console.warn(`\n  SKIPPED: Redis tests (no Redis at ${REDIS_URL}; set REDIS_URL to make this a failure)\n`);
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A key prefix of its own for one test run, so runs never collide. */
export const testPrefix = (): string => `tiny-chat-test:${randomBytes(6).toString('hex')}`;

/** Deletes every key under the prefix, so a run leaves nothing behind. */
export async function dropPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
