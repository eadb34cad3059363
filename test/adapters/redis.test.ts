import { Redis } from 'ioredis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import { roomKeyPattern } from '../../adapters/redis/keys.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { busSuite, until } from './bus-contract.js';
import { assertChained } from './contract-chain.js';
import { appendOpts, msg, newRoom, T0 } from './contract-fixtures.js';
import { testSuite } from './contract.js';
import { genesisLink } from '../../protocol/chain.js';

if (await redisAvailable()) {
  testSuite('redis', async () => {
    const prefix = testPrefix();
    const storage = await createRedisStorage({ url: REDIS_URL, prefix });
    return [
      storage,
      async () => {
        await storage.close();
        await dropPrefix(prefix);
      },
    ];
  });

  busSuite('redis', async () => {
    const prefix = testPrefix();
    const [a, b] = await Promise.all([
      createRedisEventBus({ url: REDIS_URL, prefix }),
      createRedisEventBus({ url: REDIS_URL, prefix }),
    ]);
    return [a, b, async () => void (await Promise.all([a.close(), b.close()]))];
  });

  // Backend-only: expiry relies on the sweep, with Redis TTLs collecting what
  // is left when no instance runs; every key a write touches must carry one.
  const test = suite('redis adapter: key TTLs');

  test('every room key has a TTL after writes, bounded by the deadlines plus grace', async () => {
    const prefix = testPrefix();
    const storage = await createRedisStorage({ url: REDIS_URL, prefix, graceMs: 60_000 });
    const raw = new Redis(REDIS_URL);
    try {
      const now = 1_700_000_000_000;
      const id = 'ttl-room';
      await storage.createRoom({ id, createdAt: now, expiresAt: now + 3_600_000, idleTimeoutMs: 300_000 });
      const key = { alg: 'Ed25519' as const, pub: 'a'.repeat(43) };
      await storage.bindName(id, { key, candidates: [{ name: 'amy', skeleton: 'amy' }] }, now);
      await storage.addPresence(id, { connId: 'c1', name: 'amy', key }, now, 90_000);
      const msg = { id: 'm1', name: 'amy', ts: now, text: 'hi', sig: 's', key, at: now };
      await storage.appendMessage(id, msg, { cap: 10, now, dedupeWindowMs: 60_000 });
      const keys = await raw.keys(roomKeyPattern(prefix, id));
      assert.ok(keys.length >= 7, `room keys: ${keys.join(', ')}`);
      for (const k of keys) {
        const ttl = await raw.pttl(k);
        assert.ok(ttl > 0 && ttl <= 300_000 + 60_000, `${k} has pttl ${ttl}`);
      }
    } finally {
      raw.disconnect();
      await storage.close();
      await dropPrefix(prefix);
    }
  });

  // Backend-only: a room written by a version that kept no counts (no presn hash, no 'counted' field) is
  // counted connection by connection until its next presence change builds the counts from presd.
  test('a room made before the kept counts gets them at its next presence change', async () => {
    const prefix = testPrefix();
    const storage = await createRedisStorage({ url: REDIS_URL, prefix });
    const raw = new Redis(REDIS_URL);
    try {
      const room = newRoom();
      await storage.createRoom(room);
      const key = (n: number) => ({ alg: 'Ed25519' as const, pub: Buffer.alloc(32, n).toString('base64url') });
      await storage.addPresence(room.id, { connId: 'c1', name: 'amy', key: key(1) }, T0, 60_000);
      await storage.addPresence(room.id, { connId: 'c2', name: 'amy', key: key(1) }, T0, 60_000);
      await storage.addPresence(room.id, { connId: 'c3', name: 'bea', key: key(2) }, T0, 60_000);
      const keys = await raw.keys(roomKeyPattern(prefix, room.id));
      const presn = keys.find((k) => k.startsWith(`${prefix}:presn:`))!;
      assert.equal(await raw.hgetall(presn), { amy: '2', bea: '1' });
      await raw.del(presn);
      await raw.hdel(
        keys.find((k) => k.startsWith(`${prefix}:room:`))!,
        'counted',
      );
      const found = await storage.getRoom(room.id, T0);
      assert.is(found.status === 'live' && found.room.memberCount, 2);
      const r = await storage.removePresence(room.id, 'c1', T0 + 1);
      assert.equal(r && [r.last, r.memberCount], [false, 2]);
      assert.equal(await raw.hgetall(presn), { amy: '1', bea: '1' });
      const cid = await storage.addPresence(room.id, { connId: 'c4', name: 'cid', key: key(3) }, T0 + 2, 60_000);
      assert.equal(cid, { status: 'ok', first: true, memberCount: 3 });
      assert.ok((await raw.pttl(presn)) > 0);
    } finally {
      raw.disconnect();
      await storage.close();
      await dropPrefix(prefix);
    }
  });

  // Backend-only: the link is computed by the instance and stored by a compare-and-set, so two instances
  // appending to one room at once must retry, never fork the chain or store a link over the wrong head.
  test('two instances appending to one room at once form one unbroken chain', async () => {
    const prefix = testPrefix();
    const [a, b] = await Promise.all([
      createRedisStorage({ url: REDIS_URL, prefix }),
      createRedisStorage({ url: REDIS_URL, prefix }),
    ]);
    try {
      const room = newRoom();
      await a.createRoom(room);
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? a : b).appendMessage(room.id, msg(`u${i % 3}`, `c${i}`), appendOpts()),
        ),
      );
      assert.ok(results.every((r) => r.status === 'stored'));
      const page = await b.readMessages(room.id, { limit: 100 }, T0);
      if (!('messages' in page)) throw new Error('room not live');
      assert.equal(
        page.messages.map((m) => m.seq),
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
      await assertChained(page.messages, await genesisLink(room.id, room.createdAt));
      // What each append answered is what storage holds.
      const held = new Map(page.messages.map((m) => [m.seq, m.chain]));
      for (const r of results) if (r.status === 'stored') assert.is(held.get(r.message.seq), r.message.chain);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await dropPrefix(prefix);
    }
  });

  // Backend-only: instances share rooms only under one prefix, and so their events.
  test('a bus under another prefix hears nothing', async () => {
    const prefix = testPrefix();
    const [mine, other] = await Promise.all([
      createRedisEventBus({ url: REDIS_URL, prefix }),
      createRedisEventBus({ url: REDIS_URL, prefix: testPrefix() }),
    ]);
    try {
      const heard: string[] = [];
      const sub = await mine.subscribe((roomId) => heard.push(roomId));
      await Promise.all([sub.add('x'), sub.add('y')]);
      // SPUBLISH answers after Redis queued the event to every subscriber of its channel, so an 'x' that
      // reached this bus would arrive on its one subscribed connection before the 'y' published after it.
      await other.publish('x', { kind: 'closed', reason: 'idle' });
      await mine.publish('y', { kind: 'closed', reason: 'idle' });
      await until(() => heard.includes('y'));
      assert.equal(heard, ['y']);
    } finally {
      await Promise.all([mine.close(), other.close()]);
    }
  });

  test.run();
}
