/**
 * The package's adapter subpaths resolve through package.json `exports` to
 * the built files (`npm run build`, which `npm test` runs first), each with
 * its factories: moving an adapter into a folder must not break an import.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const SUBPATHS: Record<string, string[]> = {
  'tiny-chat/adapters/memory': ['createMemoryStorage', 'MemoryStorage'],
  'tiny-chat/adapters/sqlite': ['createSqliteStorage', 'SqliteStorage'],
  'tiny-chat/adapters/redis': [
    'createRedisStorage',
    'RedisStorage',
    'createRedisEventBus',
    'RedisEventBus',
    'createRedisRateStore',
    'RedisRateStore',
  ],
  'tiny-chat/adapters/local-bus': ['createLocalEventBus', 'LocalEventBus'],
  'tiny-chat/adapters/types': [],
};

for (const [subpath, names] of Object.entries(SUBPATHS)) {
  test(`${subpath} exports ${names.join(', ') || 'types only'}`, async () => {
    const mod = (await import(subpath)) as Record<string, unknown>;
    assert.equal(Object.keys(mod).sort(), [...names].sort());
    for (const name of names) assert.type(mod[name], 'function');
  });
}

test.run();
