/**
 * How a server gets its event bus: its own local one by default when the
 * storage is not shared, and never silently when it is (a local bus on Redis
 * storage would keep every instance deaf to the others).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalEventBus } from '../../adapters/local-bus.js';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import { resolveOptions } from '../../server/options/resolve.js';
import { createServer } from '../../server/index.js';
import { TestClient } from '../helpers/client.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { createRoom, startServer } from '../helpers/server.js';

const test = suite('event bus option');

test('a storage of one process gets a local bus of its own; a bad bus is refused', async () => {
  const storage = await createMemoryStorage();
  try {
    assert.instance(resolveOptions({ storage }).bus, LocalEventBus);
    assert.throws(
      () => resolveOptions({ storage, bus: {} as never }),
      (e: Error) => e instanceof TypeError && e.message === 'tiny-chat: option "bus" must be an EventBus, got {}',
    );
  } finally {
    await storage.close();
  }
});

test('a server publishes on the bus it is given: a message, and the join and leave of its sender', async () => {
  const bus = new LocalEventBus();
  const seen: string[] = [];
  let left: () => void = () => undefined;
  const leave = new Promise<void>((resolve) => (left = resolve));
  const watch = await bus.subscribe((_roomId, e) => {
    seen.push(e.kind === 'presence' ? `${e.kind} ${e.event} ${e.name}` : e.kind);
    if (e.kind === 'presence' && e.event === 'leave') left();
  });
  const srv = await startServer({ bus });
  try {
    const roomId = await createRoom(srv.url);
    await watch.add(roomId);
    const c = await TestClient.connect(srv.url);
    await c.join(roomId, 'amy');
    await c.say('hello');
    c.close();
    await leave;
    assert.equal(seen, ['presence join amy', 'message', 'presence leave amy']);
  } finally {
    await srv.stop();
    await bus.close();
  }
});

if (await redisAvailable()) {
  test('a shared storage without a bus is refused, with one it serves', async () => {
    const prefix = testPrefix();
    const storage = await createRedisStorage({ url: REDIS_URL, prefix });
    const bus = await createRedisEventBus({ url: REDIS_URL, prefix });
    try {
      let failed: unknown;
      await createServer({ storage }).catch((err: unknown) => (failed = err));
      assert.instance(failed, TypeError);
      assert.is(
        (failed as Error).message,
        'tiny-chat: option "bus" is required with a storage shared between instances',
      );
      const app = await createServer({ storage, bus });
      await app.ready();
      await app.close();
    } finally {
      await Promise.all([storage.close(), bus.close()]);
      await dropPrefix(prefix);
    }
  });
}

test.run();
