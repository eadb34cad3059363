/**
 * One contract case per storage rule that adapters/rules.ts states for memory
 * and SQLite and the Lua scripts restate for Redis: where the backends once
 * drifted apart (or could), a case here fails on the one that decides
 * differently.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Storage } from '../../adapters/types.js';
import { appendOpts, HOUR, key, MIN, msg, newRoom, T0 } from './contract-fixtures.js';

export function ruleCases(test: Test<{ s: Storage }>): void {
  // Memory once returned the NewRoom as given (creator: undefined), SQLite and Redis left requireAuth out.
  test('rule: a room reads back exactly as created: no creator is no field, requireAuth always a boolean', async ({
    s,
  }) => {
    const room = { ...newRoom(), creator: undefined };
    const created = await s.createRoom(room);
    const expected = {
      id: room.id,
      createdAt: T0,
      expiresAt: room.expiresAt,
      idleTimeoutMs: room.idleTimeoutMs,
      requireAuth: false,
      staff: { owner: null, moderators: [], locked: false, slowModeMs: 0 },
      lastActiveAt: T0,
      firstSeq: 1,
      lastSeq: 0,
      connections: 0,
      memberCount: 0,
    };
    assert.equal(created, { status: 'created', room: expected });
    assert.equal(await s.getRoom(room.id, T0), { status: 'live', room: expected });
  });

  test('rule: past both deadlines, a room is expired rather than idle', async ({ s }) => {
    const room = newRoom({ expiresAt: T0 + 10 * MIN });
    await s.createRoom(room);
    assert.equal(await s.getRoom(room.id, T0 + 10 * MIN), { status: 'gone', reason: 'expired' });
    assert.equal(await s.expireRooms(T0 + 10 * MIN), [{ roomId: room.id, reason: 'expired' }]);
  });

  test('rule: a connection past its ttl, swept or not, does not keep a room from idling', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    await s.addPresence(room.id, { connId: 'c', name: 'amy', key: key(1) }, T0, MIN);
    // Idle from the presence's last activity (T0), since its ttl ran out at T0 + 1 min.
    assert.is((await s.getRoom(room.id, T0 + 5 * MIN - 1)).status, 'live');
    assert.equal(await s.getRoom(room.id, T0 + 5 * MIN), { status: 'gone', reason: 'idle' });
    assert.equal(await s.expireRooms(T0 + 5 * MIN), [{ roomId: room.id, reason: 'idle' }]);
    // A live one does.
    const kept = newRoom();
    await s.createRoom(kept);
    await s.addPresence(kept.id, { connId: 'c', name: 'amy', key: key(1) }, T0, HOUR);
    assert.is((await s.getRoom(kept.id, T0 + 30 * MIN)).status, 'live');
  });

  // SQLite once kept the first name and key of a connection added again; memory and Redis replaced them.
  test('rule: adding a connection again replaces its entry and is not a new join', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    await s.addPresence(room.id, { connId: 'c', name: 'amy', key: key(1) }, T0, MIN);
    const again = await s.addPresence(room.id, { connId: 'c', name: 'bea', key: key(2) }, T0 + 1, MIN);
    assert.equal(again, { status: 'ok', first: false, memberCount: 1 });
    assert.equal(await s.listMembers(room.id, T0 + 1), [{ name: 'bea', key: key(2) }]);
    const removed = await s.removePresence(room.id, 'c', T0 + 2);
    assert.equal(removed, { roomId: room.id, name: 'bea', key: key(2), last: true, memberCount: 0 });
  });

  test('rule: a pin bound without a subject cannot be claimed with one, nor the other way round', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const candidates = [{ name: 'amy', skeleton: 'amy' }];
    assert.is((await s.bindName(room.id, { key: key(1), candidates }, T0)).status, 'bound');
    assert.equal(await s.bindName(room.id, { key: key(1), candidates, subject: 'iss amy' }, T0), {
      status: 'subject-mismatch',
    });
    const b = [{ name: 'bea', skeleton: 'bea' }];
    assert.is((await s.bindName(room.id, { key: key(2), candidates: b, subject: 'iss bea' }, T0)).status, 'bound');
    assert.equal(await s.bindName(room.id, { key: key(2), candidates: b }, T0), { status: 'subject-mismatch' });
  });

  test('rule: a replay of a stored message is answered with the stored original, whatever its signature', async ({
    s,
  }) => {
    const room = newRoom();
    await s.createRoom(room);
    const stored = await s.appendMessage(room.id, msg('amy', 'same', 'hi'), appendOpts());
    assert.is(stored.status, 'stored');
    const replay = { ...msg('amy', 'same', 'hi', T0), sig: 'cmVzaWduZWQ', at: T0 + 9 };
    const again = await s.appendMessage(room.id, replay, appendOpts(T0 + 9));
    assert.equal(again, { status: 'duplicate', message: stored.status === 'stored' ? stored.message : undefined });
  });

  test('rule: a replay of a trimmed message is judged by its content digest (ts and text)', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    await s.appendMessage(room.id, msg('amy', 'old', 'first', T0), appendOpts(T0, 1));
    await s.appendMessage(room.id, msg('amy', 'new', 'second', T0 + 1), appendOpts(T0 + 1, 1));
    // Same text, another ts: another message under a used id.
    const otherTs = { ...msg('amy', 'old', 'first', T0), ts: T0 + 1 };
    assert.equal(await s.appendMessage(room.id, otherTs, appendOpts(T0 + 2, 1)), { status: 'conflict' });
    // Same content: acknowledged under the original's number and store time, not stored again.
    const replay = { ...msg('amy', 'old', 'first', T0), at: T0 + 3 };
    assert.equal(await s.appendMessage(room.id, replay, appendOpts(T0 + 3, 1)), {
      status: 'duplicate',
      message: { seq: 1, id: 'old', name: 'amy', ts: T0, text: 'first', sig: 'c2ln', key: key(1), at: T0 },
    });
    const page = await s.readMessages(room.id, { limit: 10 }, T0 + 3);
    assert.is('lastSeq' in page && page.lastSeq, 2);
  });
}
