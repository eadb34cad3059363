/**
 * Backend-only moderation cases for Redis: a removed message's text is gone
 * from every key of its room (read back value by value, not only from what
 * reads return); and a second client on the same prefix (another instance)
 * sees the moderation state one client wrote, and both keep one order.
 */
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisStorage } from '../../adapters/redis/index.js';
import { roomKeyPattern } from '../../adapters/redis/keys.js';
import { genesisLink } from '../../protocol/chain.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { assertChained } from './contract-chain.js';
import { appendOpts, msg, T0 } from './contract-fixtures.js';
import { act, AMY, BOB, bindAs, MOD, OWNER, staffedRoom, staffOf } from './contract-moderation-fixtures.js';

/** Every value of every key of the room, as one string. */
async function roomValues(raw: Redis, prefix: string, roomId: string): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await raw.scan(cursor, 'MATCH', roomKeyPattern(prefix, roomId), 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await raw.type(key);
      if (type === 'string') out.push((await raw.get(key)) ?? '');
      else if (type === 'hash') out.push(...Object.entries(await raw.hgetall(key)).flat());
      else if (type === 'zset') out.push(...(await raw.zrange(key, '0', '-1', 'WITHSCORES')));
      else if (type === 'set') out.push(...(await raw.smembers(key)));
      else if (type === 'list') out.push(...(await raw.lrange(key, 0, -1)));
      else throw new Error(`unexpected key type ${type} of ${key}`);
    }
  } while (cursor !== '0');
  return out.join('\n');
}

if (await redisAvailable()) {
  const test = suite('redis adapter: moderation');

  test('a removed message’s text is in no key of its room', async () => {
    const prefix = testPrefix();
    const s = await createRedisStorage({ url: REDIS_URL, prefix });
    const raw = new Redis(REDIS_URL);
    try {
      const room = await staffedRoom(s);
      const secret = `secret-${randomBytes(12).toString('hex')}`;
      await s.appendMessage(room.id, msg('amy', 'a'), appendOpts());
      const m = await s.appendMessage(room.id, msg('amy', 'secret', secret), appendOpts());
      await s.appendMessage(room.id, msg('amy', 'b'), appendOpts());
      if (m.status !== 'stored') throw new Error(m.status);
      // It is there to be found first, or this test could not fail.
      assert.ok((await roomValues(raw, prefix, room.id)).includes(secret), 'the text is stored before the remove');
      const rm = act('mo', MOD, 'rm', { act: 'remove', seq: m.message.seq, chain: m.message.chain });
      assert.is((await s.appendAction(room.id, rm, appendOpts())).status, 'stored');
      assert.not.ok((await roomValues(raw, prefix, room.id)).includes(secret), 'the text is left in a room key');
      // A replay of the removed message is a duplicate, and does not bring its text back.
      const replay = await s.appendMessage(room.id, msg('amy', 'secret', secret), appendOpts());
      assert.is(replay.status, 'duplicate');
      assert.not.ok((await roomValues(raw, prefix, room.id)).includes(secret), 'the replay stored the text again');
    } finally {
      raw.disconnect();
      await s.close();
      await dropPrefix(prefix);
    }
  });

  test('a second client sees the moderation state; both keep one order and one chain', async () => {
    const prefix = testPrefix();
    const a = await createRedisStorage({ url: REDIS_URL, prefix });
    const b = await createRedisStorage({ url: REDIS_URL, prefix });
    try {
      const room = await staffedRoom(a, { requireAuth: true });
      await bindAs(a, room.id, AMY, 'amy', T0, 'iss amy');
      const m = await a.appendMessage(room.id, { ...msg('amy', 'm1', 'soon gone'), key: AMY }, appendOpts());
      if (m.status !== 'stored') throw new Error(m.status);
      // Each client appends after the other moved the head: their cached heads go stale and are retried.
      const steps = [
        [b, act('mo', MOD, 'r', { act: 'remove', seq: m.message.seq, chain: m.message.chain })],
        [a, act('mo', MOD, 'b', { act: 'ban', target: AMY })],
        [b, act('mo', MOD, 'k', { act: 'kick', target: BOB, forMs: 60_000 })],
        [a, act('mo', MOD, 'l', { act: 'lock' })],
        [b, act('mo', MOD, 's', { act: 'slow', intervalMs: 2000 })],
      ] as const;
      for (const [s, x] of steps) assert.is((await s.appendAction(room.id, x, appendOpts())).status, 'stored', x.id);
      await a.appendMessage(room.id, msg('amy', 'm2'), appendOpts());
      assert.equal(await staffOf(b, room.id), { owner: OWNER, moderators: [MOD], locked: true, slowModeMs: 2000 });
      const page = await b.readMessages(room.id, { limit: 20 }, T0);
      if (!('messages' in page)) throw new Error('room not live');
      assert.equal(
        page.messages.map((e) => ('kind' in e ? e.kind : 'message')),
        ['action', 'removed', 'action', 'action', 'action', 'action', 'action', 'message'],
      );
      await assertChained(page.messages, await genesisLink(room.id, room.createdAt), new Map([[2, 'soon gone']]));
      assert.equal(await bindAs(b, room.id, { alg: 'Ed25519', pub: 'x'.repeat(43) }, 'x', T0, 'iss amy'), {
        status: 'banned',
      });
      assert.equal(await bindAs(b, room.id, BOB, 'bob', T0 + 1000, 'iss bob'), {
        status: 'kicked',
        until: T0 + 60_000,
      });
      assert.is(
        (await b.appendAction(room.id, act('mo', MOD, 'l', { act: 'lock' }), appendOpts())).status,
        'duplicate',
      );
      await b.appendAction(room.id, act('olga', OWNER, 'd', { act: 'demote', target: MOD }), appendOpts());
      assert.equal(await a.appendAction(room.id, act('mo', MOD, 'u', { act: 'unlock' }), appendOpts()), {
        status: 'forbidden',
      });
    } finally {
      await a.close();
      await b.close();
      await dropPrefix(prefix);
    }
  });

  test.run();
}
