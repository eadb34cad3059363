/**
 * The storage contract as one test suite. Every adapter's test file calls
 * `testSuite(name, open)` unchanged (after socket.io-redis-adapter's
 * `testSuite(createAdapter)`); backend-only cases live in that adapter's own
 * file, never here as special cases.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Storage } from '../../adapters/types.js';
import { appendOpts, HOUR, key, MIN, msg, newRoom, roomId, T0 } from './contract-fixtures.js';
import { chainCases } from './contract-chain.js';
import { messageCases } from './contract-messages.js';
import { moderationCases } from './contract-moderation.js';
import { moderationBindCases } from './contract-moderation-binds.js';
import { operatorCases } from './contract-operators.js';
import { ruleCases } from './contract-rules.js';
import { presenceCases } from './contract-presence.js';
import { serverKeyCases } from './contract-server-key.js';

/** Opens a fresh, empty storage; returns it and the function that disposes of it. */
export type OpenStorage = () => Promise<[Storage, () => Promise<void>]>;

export function testSuite(name: string, open: OpenStorage): void {
  const test = suite<{ s: Storage; dispose: () => Promise<void> }>(`storage contract: ${name}`);

  test.before.each(async (ctx) => {
    const [s, dispose] = await open();
    ctx.s = s;
    ctx.dispose = dispose;
  });
  test.after.each(async (ctx) => {
    await ctx.dispose();
  });

  // ---------- rooms ----------

  test('creates a room and looks it up', async ({ s }) => {
    const room = newRoom({ creator: 'iss alice' });
    const created = await s.createRoom(room);
    assert.is(created.status, 'created');
    const found = await s.getRoom(room.id, T0 + 1);
    assert.is(found.status, 'live');
    if (found.status !== 'live') return;
    assert.is(found.room.id, room.id);
    assert.is(found.room.createdAt, T0);
    assert.is(found.room.expiresAt, room.expiresAt);
    assert.is(found.room.idleTimeoutMs, room.idleTimeoutMs);
    assert.is(found.room.creator, 'iss alice');
    assert.equal(found.room.staff, { owner: null, moderators: [], locked: false, slowModeMs: 0 });
    assert.is(found.room.lastSeq, 0);
    assert.is(found.room.firstSeq, 1);
    assert.is(found.room.memberCount, 0);
    assert.is(found.room.connections, 0);
  });

  test('refuses a second room with the same id', async ({ s }) => {
    const room = newRoom();
    assert.is((await s.createRoom(room)).status, 'created');
    assert.is((await s.createRoom(room)).status, 'exists');
  });

  test('reports an unknown room as missing', async ({ s }) => {
    assert.equal(await s.getRoom(roomId(), T0), { status: 'missing' });
  });

  test('requireAuth survives the round trip', async ({ s }) => {
    const room = newRoom({ requireAuth: true });
    await s.createRoom(room);
    const found = await s.getRoom(room.id, T0);
    assert.is(found.status === 'live' && found.room.requireAuth === true, true);
  });

  // ---------- quotas ----------

  test('enforces the per-creator quota and counts only live rooms', async ({ s }) => {
    const quota = { creator: 'iss bob', maxRooms: 2 };
    assert.is((await s.createRoom(newRoom({ creator: 'iss bob', expiresAt: T0 + MIN }), quota)).status, 'created');
    assert.is((await s.createRoom(newRoom({ creator: 'iss bob' }), quota)).status, 'created');
    const third = await s.createRoom(newRoom({ creator: 'iss bob' }), quota);
    assert.equal(third, { status: 'quota-exceeded', live: 2 });
    // Another creator is not affected.
    assert.is(
      (await s.createRoom(newRoom({ creator: 'iss carol' }), { creator: 'iss carol', maxRooms: 2 })).status,
      'created',
    );
    // Once the first room is past its deadline it no longer counts, swept or not.
    const later = newRoom({ creator: 'iss bob', createdAt: T0 + MIN, expiresAt: T0 + 13 * HOUR });
    assert.is((await s.createRoom(later, quota)).status, 'created');
  });

  test('quota holds under concurrency: twenty creates at limit-1 give one success', async ({ s }) => {
    const creator = 'iss dave';
    const quota = { creator, maxRooms: 3 };
    for (let i = 0; i < 2; i++) assert.is((await s.createRoom(newRoom({ creator }), quota)).status, 'created');
    const results = await Promise.all(Array.from({ length: 20 }, () => s.createRoom(newRoom({ creator }), quota)));
    assert.is(results.filter((r) => r.status === 'created').length, 1);
    assert.is(results.filter((r) => r.status === 'quota-exceeded').length, 19);
  });

  // ---------- names ----------

  test('pins a name to a key; a rejoin with the same key gets it back', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const candidates = [
      { name: 'Alice', skeleton: 'alice' },
      { name: 'Alice-2', skeleton: 'alice-2' },
    ];
    assert.equal(await s.bindName(room.id, { key: key(1), candidates }, T0), {
      status: 'bound',
      name: 'Alice',
      existing: false,
    });
    assert.equal(await s.bindName(room.id, { key: key(1), candidates: [{ name: 'Zed', skeleton: 'zed' }] }, T0), {
      status: 'bound',
      name: 'Alice',
      existing: true,
    });
    // Another key cannot take the skeleton, in any spelling.
    const other = await s.bindName(
      room.id,
      { key: key(2), candidates: [{ name: 'ALICE', skeleton: 'alice' }, ...candidates.slice(1)] },
      T0,
    );
    assert.equal(other, { status: 'bound', name: 'Alice-2', existing: false });
    assert.equal(await s.bindName(room.id, { key: key(3), candidates }, T0), { status: 'names-taken' });
  });

  test('keys of the same bytes under another algorithm are other keys', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const candidates = [
      { name: 'a', skeleton: 'a' },
      { name: 'b', skeleton: 'b' },
    ];
    const r1 = await s.bindName(room.id, { key: { alg: 'Ed25519', pub: 'AAAA' }, candidates }, T0);
    const r2 = await s.bindName(room.id, { key: { alg: 'ES256', pub: 'AAAA' }, candidates }, T0);
    assert.is(r1.status === 'bound' && r1.name, 'a');
    assert.is(r2.status === 'bound' && r2.name, 'b');
  });

  test('names are pinned per room', async ({ s }) => {
    const a = newRoom();
    const b = newRoom();
    await s.createRoom(a);
    await s.createRoom(b);
    const candidates = [{ name: 'n', skeleton: 'n' }];
    assert.is((await s.bindName(a.id, { key: key(1), candidates }, T0)).status, 'bound');
    assert.is((await s.bindName(b.id, { key: key(2), candidates }, T0)).status, 'bound');
  });

  test('concurrent binds of one wished name give distinct names', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const candidates = Array.from({ length: 12 }, (_, i) => ({ name: `bo-${i}`, skeleton: `bo-${i}` }));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => s.bindName(room.id, { key: key(10 + i), candidates }, T0)),
    );
    const names = results.map((r) => (r.status === 'bound' ? r.name : r.status));
    assert.is(new Set(names).size, 10);
    assert.ok(names.every((n) => n.startsWith('bo-')));
  });

  test('a pinned key bound to one subject cannot be claimed by another', async ({ s }) => {
    const room = newRoom({ requireAuth: true });
    await s.createRoom(room);
    const candidates = [{ name: 'eve', skeleton: 'eve' }];
    assert.is((await s.bindName(room.id, { key: key(1), candidates, subject: 'iss eve' }, T0)).status, 'bound');
    assert.equal(await s.bindName(room.id, { key: key(1), candidates, subject: 'iss mallory' }, T0), {
      status: 'subject-mismatch',
    });
    assert.equal(await s.bindName(room.id, { key: key(1), candidates, subject: 'iss eve' }, T0), {
      status: 'bound',
      name: 'eve',
      existing: true,
    });
  });

  test('binding in an unknown room says missing', async ({ s }) => {
    assert.equal(await s.bindName(roomId(), { key: key(1), candidates: [{ name: 'x', skeleton: 'x' }] }, T0), {
      status: 'missing',
    });
  });

  // ---------- presence ----------

  test('counts a member once however many connections it has', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const a1 = await s.addPresence(room.id, { connId: 'c1', name: 'amy', key: key(1) }, T0, MIN);
    assert.equal(a1, { status: 'ok', first: true, memberCount: 1 });
    const a2 = await s.addPresence(room.id, { connId: 'c2', name: 'amy', key: key(1) }, T0, MIN);
    assert.equal(a2, { status: 'ok', first: false, memberCount: 1 });
    const b = await s.addPresence(room.id, { connId: 'c3', name: 'bea', key: key(2) }, T0, MIN);
    assert.equal(b, { status: 'ok', first: true, memberCount: 2 });
    assert.equal(await s.listMembers(room.id, T0), [
      { name: 'amy', key: key(1) },
      { name: 'bea', key: key(2) },
    ]);
    const found = await s.getRoom(room.id, T0);
    assert.is(found.status === 'live' && found.room.connections, 3);
    assert.is(found.status === 'live' && found.room.memberCount, 2);

    const r1 = await s.removePresence(room.id, 'c1', T0 + 1);
    assert.equal(r1, { roomId: room.id, name: 'amy', key: key(1), last: false, memberCount: 2 });
    const r2 = await s.removePresence(room.id, 'c2', T0 + 2);
    assert.equal(r2, { roomId: room.id, name: 'amy', key: key(1), last: true, memberCount: 1 });
    assert.is(await s.removePresence(room.id, 'c2', T0 + 3), undefined);
    assert.equal(await s.listMembers(room.id, T0 + 3), [{ name: 'bea', key: key(2) }]);
  });

  test('presence expires without a heartbeat and is swept once', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    await s.addPresence(room.id, { connId: 'dead', name: 'dan', key: key(1) }, T0, 30_000);
    await s.addPresence(room.id, { connId: 'live', name: 'liv', key: key(2) }, T0, 30_000);
    assert.equal(await s.refreshPresence(room.id, ['live', 'unknown'], T0 + 20_000, 30_000), ['unknown']);
    assert.equal(
      (await s.listMembers(room.id, T0 + 31_000)).map((m) => m.name),
      ['liv'],
    );
    const swept = await s.sweepPresence(T0 + 31_000);
    assert.equal(swept, [{ roomId: room.id, name: 'dan', key: key(1), last: true, memberCount: 1 }]);
    assert.equal(await s.sweepPresence(T0 + 31_000), []);
    // A swept connection is reported, so its instance can add it back if its socket still lives.
    assert.equal(await s.refreshPresence(room.id, ['dead', 'live'], T0 + 31_000, 30_000), ['dead']);
    assert.equal(await s.refreshPresence(roomId(), ['x'], T0 + 31_000, 30_000), ['x']);
    assert.is(await s.removePresence(room.id, 'dead', T0 + 31_000), undefined);
    assert.is((await s.removePresence(room.id, 'live', T0 + 31_000)) !== undefined, true);
  });

  test('presence in an unknown room says missing', async ({ s }) => {
    assert.equal(await s.addPresence(roomId(), { connId: 'c', name: 'n', key: key(1) }, T0, MIN), {
      status: 'missing',
    });
  });

  // ---------- expiry ----------

  test('a room is gone at its maximum lifetime, even while in use', async ({ s }) => {
    const room = newRoom({ expiresAt: T0 + HOUR });
    await s.createRoom(room);
    await s.addPresence(room.id, { connId: 'c', name: 'amy', key: key(1) }, T0, 2 * HOUR);
    await s.appendMessage(room.id, msg('amy', 'm', 'x', T0 + HOUR - 1), appendOpts(T0 + HOUR - 1));
    assert.is((await s.getRoom(room.id, T0 + HOUR - 1)).status, 'live');
    // Reported gone before any sweep...
    assert.equal(await s.getRoom(room.id, T0 + HOUR), { status: 'gone', reason: 'expired' });
    assert.equal(await s.appendMessage(room.id, msg('amy', 'late'), appendOpts(T0 + HOUR)), {
      status: 'gone',
      reason: 'expired',
    });
    // ...swept exactly once, and still gone after.
    assert.equal(await s.expireRooms(T0 + HOUR), [{ roomId: room.id, reason: 'expired' }]);
    assert.equal(await s.expireRooms(T0 + HOUR + 1), []);
    assert.equal(await s.getRoom(room.id, T0 + HOUR + 1), { status: 'gone', reason: 'expired' });
    assert.equal(await s.readMessages(room.id, { limit: 5 }, T0 + HOUR + 1), { status: 'gone', reason: 'expired' });
    assert.equal(await s.listMembers(room.id, T0 + HOUR + 1), []);
    assert.equal(await s.createRoom(room), { status: 'exists' });
  });

  test('an idle room is gone after the idle timeout', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    assert.is((await s.getRoom(room.id, T0 + 5 * MIN - 1)).status, 'live');
    assert.equal(await s.getRoom(room.id, T0 + 5 * MIN), { status: 'gone', reason: 'idle' });
    assert.equal(await s.expireRooms(T0 + 5 * MIN), [{ roomId: room.id, reason: 'idle' }]);
    assert.equal(await s.getRoom(room.id, T0 + 6 * MIN), { status: 'gone', reason: 'idle' });
  });

  test('messages and connected members keep a room from idling', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    await s.appendMessage(room.id, msg('amy', 'a', 'x', T0 + 4 * MIN), appendOpts(T0 + 4 * MIN));
    assert.is((await s.getRoom(room.id, T0 + 9 * MIN - 1)).status, 'live');
    await s.addPresence(room.id, { connId: 'c', name: 'amy', key: key(1) }, T0 + 8 * MIN, HOUR);
    assert.equal(await s.expireRooms(T0 + 30 * MIN), []);
    const found = await s.getRoom(room.id, T0 + 30 * MIN);
    assert.is(found.status === 'live' && found.room.lastActiveAt, T0 + 8 * MIN);
    // The idle clock starts when the last member leaves.
    await s.removePresence(room.id, 'c', T0 + 40 * MIN);
    assert.is((await s.getRoom(room.id, T0 + 45 * MIN - 1)).status, 'live');
    assert.equal(await s.expireRooms(T0 + 45 * MIN), [{ roomId: room.id, reason: 'idle' }]);
  });

  test('expiry leaves other rooms alone', async ({ s }) => {
    const short = newRoom({ expiresAt: T0 + MIN });
    const long = newRoom();
    await s.createRoom(short);
    await s.createRoom(long);
    await s.appendMessage(long.id, msg('amy', 'keep'), appendOpts(T0 + 30_000));
    const expired = await s.expireRooms(T0 + MIN);
    assert.equal(expired, [{ roomId: short.id, reason: 'expired' }]);
    const page = await s.readMessages(long.id, { limit: 5 }, T0 + MIN);
    assert.equal('messages' in page && page.messages.map((m) => m.id), ['keep']);
  });

  test('concurrent sweeps return each room once', async ({ s }) => {
    const rooms = Array.from({ length: 5 }, () => newRoom({ expiresAt: T0 + MIN }));
    for (const r of rooms) await s.createRoom(r);
    const sweeps = await Promise.all([s.expireRooms(T0 + MIN), s.expireRooms(T0 + MIN), s.expireRooms(T0 + MIN)]);
    const ids = sweeps
      .flat()
      .map((e) => e.roomId)
      .sort();
    assert.equal(ids, rooms.map((r) => r.id).sort());
  });

  test('answers ping', async ({ s }) => {
    await s.ping();
  });

  messageCases(test);
  ruleCases(test);
  chainCases(test);
  presenceCases(test);
  operatorCases(test);
  serverKeyCases(test);
  moderationCases(test);
  moderationBindCases(test);

  test.run();
}
