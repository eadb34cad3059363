/**
 * The per-user room quota through HTTP on the persistent adapters: the
 * count and the insert are one storage step, so parallel creates at the
 * limit cannot both pass, and a sign-in-only room keeps its owner and flag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import type { EventBus, Storage } from '../../adapters/types.js';
import { CHAT_AUDIENCE, startProvider } from '../helpers/oidc.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { startServer } from '../helpers/server.js';

/** A storage, the bus it needs when it is shared, and the function that drops its data. */
type Open = () => Promise<[Storage, EventBus | undefined, () => Promise<void>]>;

const backends: [string, Open][] = [
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-quota-'));
      const storage = await createSqliteStorage({ path: join(dir, 'chat.db') });
      return [storage, undefined, async () => rmSync(dir, { recursive: true, force: true })];
    },
  ],
];
if (await redisAvailable()) {
  backends.push([
    'redis',
    async () => {
      const prefix = testPrefix();
      const [storage, bus] = await Promise.all([
        createRedisStorage({ url: REDIS_URL, prefix }),
        createRedisEventBus({ url: REDIS_URL, prefix }),
      ]);
      return [
        storage,
        bus,
        async () => {
          await bus.close();
          await dropPrefix(prefix);
        },
      ];
    },
  ]);
}

for (const [name, open] of backends) {
  const test = suite(`room quota over HTTP on ${name}`);

  test('at limit-1, twenty parallel creates give exactly one room; the room keeps its owner and requireAuth', async () => {
    const idp = await startProvider();
    const [storage, bus, drop] = await open();
    const srv = await startServer({
      storage,
      bus,
      roomsPerUser: 3,
      oidc: [{ issuer: idp.issuer, audience: CHAT_AUDIENCE }],
    });
    try {
      const auth = { authorization: `Bearer ${await idp.token('user-5')}`, 'content-type': 'application/json' };
      const create = (): Promise<Response> =>
        fetch(`${srv.url}/rooms`, { method: 'POST', headers: auth, body: '{"requireAuth":true}' });
      assert.is((await create()).status, 201);
      assert.is((await create()).status, 201);
      const results = await Promise.all(Array.from({ length: 20 }, create));
      const made = results.filter((r) => r.status === 201);
      assert.is(made.length, 1);
      for (const r of results.filter((x) => x.status !== 201)) {
        assert.is(r.status, 429);
        assert.is(((await r.json()) as { code: string }).code, 'quota-exceeded');
      }
      const { roomId } = (await made[0]!.json()) as { roomId: string };
      const found = await storage.getRoom(roomId, srv.clock.now());
      assert.is(found.status, 'live');
      if (found.status === 'live') {
        assert.is(found.room.creator, `${idp.issuer} user-5`);
        assert.is(found.room.requireAuth, true);
      }
    } finally {
      await srv.stop();
      await storage.close();
      await drop();
      await idp.stop();
    }
  });

  test.run();
}
