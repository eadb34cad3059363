/**
 * The storage and bus contracts, unchanged, on a real three-primary Redis
 * Cluster started for this file (test/helpers/redis-cluster.ts, ports
 * 7101-7103): every script must touch one slot, or the cluster refuses it.
 * Then, backend-only: a room's keys and its channel share one slot.
 */
import { Cluster } from 'ioredis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import { roomChannel } from '../../adapters/redis/keys.js';
import { testPrefix } from '../helpers/redis.js';
import { clusterAvailable, startCluster } from '../helpers/redis-cluster.js';
import { busSuite } from './bus-contract.js';
import { roomId } from './contract-fixtures.js';
import { testSuite } from './contract.js';

if (clusterAvailable()) {
  const cluster = await startCluster(7101, 3, 0);
  const options = (prefix: string) => ({ url: cluster.url, cluster: true, prefix });

  testSuite('redis cluster', async () => {
    const storage = await createRedisStorage(options(testPrefix()));
    return [storage, () => storage.close()];
  });

  busSuite('redis cluster', async () => {
    const prefix = testPrefix();
    const [a, b] = await Promise.all([createRedisEventBus(options(prefix)), createRedisEventBus(options(prefix))]);
    return [a, b, async () => void (await Promise.all([a.close(), b.close()]))];
  });

  const test = suite('redis cluster: one slot per room');
  test.after(() => cluster.stop());

  test("a room's keys and its event channel hash to one slot, and rooms spread over the primaries", async () => {
    const prefix = testPrefix();
    const storage = await createRedisStorage(options(prefix));
    const raw = new Cluster([{ host: '127.0.0.1', port: 7101 }]);
    try {
      const primaries = new Set<number>();
      for (let i = 0; i < 12; i++) {
        const id = roomId();
        await storage.createRoom({ id, createdAt: 1, expiresAt: Date.now() + 60_000, idleTimeoutMs: 60_000 });
        const port = await cluster.primaryFor(`${prefix}:room:{${id}}`);
        primaries.add(port);
        const keys = await raw
          .nodes('master')
          .find((n) => n.options.port === port)!
          .keys(`${prefix}:*:{${id}}`);
        assert.ok(keys.length >= 1, `the room's keys are on the primary of its slot (${port})`);
        const slots = new Set(
          await Promise.all([...keys, roomChannel(prefix, id)].map((k) => raw.cluster('KEYSLOT', k))),
        );
        assert.is(slots.size, 1, `one slot for ${keys.join(', ')} and the channel`);
      }
      assert.ok(primaries.size > 1, `twelve rooms on ${primaries.size} primaries`);
    } finally {
      raw.disconnect();
      await storage.close();
    }
  });

  test.run();
}
