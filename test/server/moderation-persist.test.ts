/**
 * Moderation stays in force where the room's state lives: a new server on the
 * same SQLite file keeps the staff, the ban, the lock, slow mode and the
 * tombstone; two instances sharing the real Redis (storage, bus, rate store)
 * close a target on the other instance, refuse its rejoin there, hold slow
 * mode over both, and end the room on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisRateStore, createRedisStorage } from '../../adapters/redis/index.js';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import type { EventBus, Storage } from '../../adapters/types.js';
import { isMessage } from '../../protocol/frames.js';
import { newIdentity, TestClient } from '../helpers/client.js';
import { createOwnedRoom, moderate, outcome } from '../helpers/moderation.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { startServer, type Running } from '../helpers/server.js';

/** Joins with `c`'s key and answers the join's error code, or 'welcome'. */
async function tryJoin(c: TestClient, roomId: string, name: string): Promise<string> {
  c.sendJson(c.joinFrame(roomId, name));
  const f = await c.waitFor((x) => x.type === 'welcome' || (x.type === 'error' && x.ref === 'join'), 5000);
  return f.type === 'error' ? f.code : f.type;
}

test('SQLite: a new server on the same file keeps staff, ban, lock, slow mode and tombstones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-moderation-'));
  const path = join(dir, 'chat.db');
  const ownerId = newIdentity();
  const [modId, memberId, talkerId] = [newIdentity(), newIdentity(), newIdentity()];
  let srv: Running | undefined;
  try {
    srv = await startServer({ storage: await createSqliteStorage({ path }) });
    const roomId = await createOwnedRoom(srv.url, ownerId);
    const owner = await TestClient.connect(srv.url, ownerId);
    const mod = await TestClient.connect(srv.url, modId);
    const member = await TestClient.connect(srv.url, memberId);
    const talker = await TestClient.connect(srv.url, talkerId);
    await owner.join(roomId, 'olga');
    await mod.join(roomId, 'mo');
    await member.join(roomId, 'mem');
    await talker.join(roomId, 'tal');
    const said = await talker.say('to be removed', {}, 30_000);
    assert.ok(said.type === 'ack');
    const msg = await owner.waitFor((f) => f.type === 'message' && f.seq === said.seq);
    assert.ok(msg.type === 'message');
    assert.is(outcome(await moderate(owner, { act: 'promote', target: modId.key })), 'ack');
    assert.is(outcome(await moderate(mod, { act: 'remove', seq: msg.seq, chain: msg.chain })), 'ack');
    assert.is(outcome(await moderate(mod, { act: 'ban', target: memberId.key })), 'ack');
    assert.is(outcome(await moderate(mod, { act: 'slow', intervalMs: 60_000 })), 'ack');
    assert.is(outcome(await moderate(mod, { act: 'lock' })), 'ack');
    for (const c of [owner, mod, member, talker]) c.close();
    await srv.app.close();
    await srv.storage.close();

    srv = await startServer({ storage: await createSqliteStorage({ path }) });
    assert.is(await tryJoin(await TestClient.connect(srv.url, memberId), roomId, 'mem'), 'banned');
    assert.is(await tryJoin(await TestClient.connect(srv.url), roomId, 'new'), 'room-locked');
    const back = await TestClient.connect(srv.url, talkerId);
    const welcome = await back.join(roomId, 'tal');
    assert.equal(
      [welcome.room.owner, welcome.room.moderators, welcome.room.locked, welcome.room.slowModeMs],
      [ownerId.key, [modId.key], true, 60_000],
    );
    const tomb = welcome.messages.find((e) => e.seq === msg.seq)!;
    assert.ok(!isMessage(tomb) && tomb.kind === 'removed');
    assert.is((await back.say('after restart')).type, 'ack');
    const slow = await back.say('too soon');
    assert.is(outcome(slow), 'slow-mode');
    // The demote a moderator gets is in force after a restart too.
    const owner2 = await TestClient.connect(srv.url, ownerId);
    await owner2.join(roomId, 'olga');
    assert.is(outcome(await moderate(owner2, { act: 'demote', target: modId.key })), 'ack');
    back.close();
    owner2.close();
  } finally {
    await srv?.app.close();
    await srv?.storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

if (await redisAvailable()) {
  test('Redis: two instances share kicks, bans, locks, slow mode, removals and the end', async () => {
    const prefix = testPrefix();
    const opts = { url: REDIS_URL, prefix };
    const storage: Storage = await createRedisStorage(opts);
    const rates = await createRedisRateStore(opts);
    const buses: EventBus[] = [await createRedisEventBus(opts), await createRedisEventBus(opts)];
    const [a, b] = [
      await startServer({ storage, bus: buses[0], rates }),
      await startServer({ storage, bus: buses[1], rates }),
    ];
    try {
      const ownerId = newIdentity();
      const roomId = await createOwnedRoom(a.url, ownerId);
      const owner = await TestClient.connect(a.url, ownerId);
      await owner.join(roomId, 'olga');
      const kickedId = newIdentity();
      const onB = await TestClient.connect(b.url, kickedId);
      await onB.join(roomId, 'kim');
      const talkerId = newIdentity();
      const talkA = await TestClient.connect(a.url, talkerId);
      const talkB = await TestClient.connect(b.url, talkerId);
      await talkA.join(roomId, 'tal');
      await talkB.join(roomId, 'tal');

      // Kick on A closes the target's socket on B; B refuses its rejoin.
      assert.is(outcome(await moderate(owner, { act: 'kick', target: kickedId.key, forMs: 60_000 })), 'ack');
      assert.is((await onB.next('closing', 5000)).reason, 'kicked');
      assert.is((await onB.waitClosed(5000)).code, 4413);
      assert.is(await tryJoin(await TestClient.connect(b.url, kickedId), roomId, 'kim'), 'kicked');

      // Ban: the same across instances.
      const bannedId = newIdentity();
      const banB = await TestClient.connect(b.url, bannedId);
      await banB.join(roomId, 'ban');
      assert.is(outcome(await moderate(owner, { act: 'ban', target: bannedId.key })), 'ack');
      assert.is((await banB.waitClosed(5000)).code, 4414);
      assert.is(await tryJoin(await TestClient.connect(b.url, bannedId), roomId, 'ban'), 'banned');

      // Lock on A: B refuses a new key.
      assert.is(outcome(await moderate(owner, { act: 'lock' }, { ts: a.clock.now() })), 'ack');
      assert.is(await tryJoin(await TestClient.connect(b.url), roomId, 'new'), 'room-locked');

      // Slow mode: one turn over both instances for one member.
      assert.is(outcome(await moderate(owner, { act: 'slow', intervalMs: 60_000 })), 'ack');
      await talkB.waitFor((f) => f.type === 'moderation' && f.entry.action.act === 'slow', 5000);
      assert.is((await talkA.say('once', {}, 30_000)).type, 'ack');
      const second = await talkB.say('twice', {}, 30_000);
      assert.is(outcome(second), 'slow-mode');
      assert.ok(second.type === 'error' && second.retryAfterMs! > 0);

      // Remove on A: B's member hears it.
      const m = await talkB.waitFor((f) => f.type === 'message' && f.name === 'tal');
      assert.ok(m.type === 'message');
      assert.is(outcome(await moderate(owner, { act: 'remove', seq: m.seq, chain: m.chain })), 'ack');
      await talkB.waitFor((f) => f.type === 'moderation' && f.entry.action.act === 'remove', 5000);

      // End on A closes everyone on both with 4411.
      assert.is(outcome(await moderate(owner, { act: 'end' })), 'ack');
      for (const c of [owner, talkA, talkB]) assert.is((await c.waitClosed(5000)).code, 4411);
    } finally {
      await a.stop();
      await b.stop();
      await Promise.all([storage.close(), rates.close(), ...buses.map((x) => x.close())]);
      await dropPrefix(prefix);
    }
  });
}

test.run();
