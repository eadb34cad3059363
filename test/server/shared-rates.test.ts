/**
 * Rate limits over instances that share Redis (adapters/redis/rates.ts): a
 * user's message bucket and an address's REST window are one budget however
 * the client spreads over the instances; without the shared store each
 * instance has its own, and the same client gets twice as much (the control
 * that shows the test can fail).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisRateStore, createRedisStorage } from '../../adapters/redis/index.js';
import type { EventBus, RateStore, Storage } from '../../adapters/types.js';
import type { CreateServerOptions } from '../../server/index.js';
import { newIdentity, TestClient } from '../helpers/client.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

interface Ctx {
  prefix: string;
  storage: Storage;
  buses: EventBus[];
  rates: RateStore;
  servers: Running[];
}

const test = suite<Ctx>('rate limits shared over instances on Redis');

/** A user may send 4 messages and then, in the test's time, none: the rate refills one in 1000 s. */
const STRICT: Partial<CreateServerOptions> = {
  userMessageRate: { perSecond: 0.001, burst: 4 },
  restRateMax: 5,
  restRateWindowMs: 60_000,
};

async function twoInstances(ctx: Ctx, shared: boolean): Promise<[Running, Running]> {
  for (let i = 0; i < 2; i++) {
    const bus = await createRedisEventBus({ url: REDIS_URL, prefix: ctx.prefix });
    ctx.buses.push(bus);
    const rates = shared ? { rates: ctx.rates } : {};
    ctx.servers.push(await startServer({ storage: ctx.storage, bus, ...STRICT, ...rates }));
  }
  return [ctx.servers[0]!, ctx.servers[1]!];
}

/** One user (one key) on both instances, three messages on each: how many were acknowledged. */
async function spread(a: Running, b: Running): Promise<{ acks: number; limited: number[] }> {
  const roomId = await createRoom(a.url);
  const me = newIdentity();
  const onA = await TestClient.connect(a.url, me);
  const onB = await TestClient.connect(b.url, me);
  await onA.join(roomId, 'amy');
  await onB.join(roomId, 'amy');
  const answers = [];
  // Long waits: the first message may start the verify threads, slow on a loaded machine.
  for (let i = 0; i < 3; i++) answers.push(await onA.say(`a${i}`, {}, 20_000), await onB.say(`b${i}`, {}, 20_000));
  onA.close();
  onB.close();
  const limited = answers.flatMap((f) => (f.type === 'error' && f.code === 'rate-limited' ? [f.retryAfterMs!] : []));
  return { acks: answers.filter((f) => f.type === 'ack').length, limited };
}

if (await redisAvailable()) {
  test.before.each(async (ctx) => {
    ctx.prefix = testPrefix();
    ctx.storage = await createRedisStorage({ url: REDIS_URL, prefix: ctx.prefix });
    ctx.rates = await createRedisRateStore({ url: REDIS_URL, prefix: ctx.prefix });
    ctx.buses = [];
    ctx.servers = [];
  });
  test.after.each(async (ctx) => {
    for (const s of ctx.servers) await s.stop();
    await Promise.all([ctx.storage.close(), ctx.rates.close(), ...ctx.buses.map((b) => b.close())]);
    await dropPrefix(ctx.prefix);
  });

  test('a user spreading over two instances gets one budget of messages', async (ctx) => {
    const [a, b] = await twoInstances(ctx, true);
    const { acks, limited } = await spread(a, b);
    assert.is(acks, 4);
    assert.is(limited.length, 2);
    for (const wait of limited) assert.ok(wait > 0 && wait <= 1_000_000, `retryAfterMs ${wait}`);
  });

  test('control: without the shared store each instance gives its own budget', async (ctx) => {
    const [a, b] = await twoInstances(ctx, false);
    assert.is((await spread(a, b)).acks, 6);
  });

  test('an address spreading REST requests over two instances gets one window', async (ctx) => {
    const [a, b] = await twoInstances(ctx, true);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (const srv of [a, b]) statuses.push((await fetch(`${srv.url}/rooms/AAAAAAAAAAAAAAAAAAAAAA`)).status);
    }
    assert.equal(statuses, [404, 404, 404, 404, 404, 429, 429, 429]);
  });
}

test.run();
