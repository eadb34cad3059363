/**
 * The operator cases of the storage contract (adapters/types.ts endRoom and
 * listRooms): ending a room is deleting it as its deadline would, remembered
 * as 'ended', once however many callers race; a listing pages through the
 * live rooms by id, with their member counts, and skips the rest. And the
 * pin look-up the proof-of-work relies on (server/pow.ts): a bind with no
 * candidate name pins nothing.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Room, Storage } from '../../adapters/types.js';
import { appendOpts, HOUR, key, MIN, msg, newRoom, T0 } from './contract-fixtures.js';

export function operatorCases(test: Test<{ s: Storage }>): void {
  test('a bind with no candidate finds an existing pin and pins nothing', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    assert.equal(await s.bindName(room.id, { key: key(1), candidates: [] }, T0), { status: 'names-taken' });
    const amy = { name: 'amy', skeleton: 'amy' };
    assert.equal(await s.bindName(room.id, { key: key(1), candidates: [amy] }, T0), {
      status: 'bound',
      name: 'amy',
      existing: false,
    });
    assert.equal(await s.bindName(room.id, { key: key(1), candidates: [] }, T0), {
      status: 'bound',
      name: 'amy',
      existing: true,
    });
    assert.equal(await s.bindName(room.id, { key: key(2), candidates: [] }, T0), { status: 'names-taken' });
  });

  test('operators: ending a room deletes it now, remembered as ended', async ({ s }) => {
    const room = newRoom({ creator: 'iss op' });
    await s.createRoom(room, { creator: 'iss op', maxRooms: 1 });
    await s.addPresence(room.id, { connId: 'c', name: 'amy', key: key(1) }, T0, HOUR);
    await s.appendMessage(room.id, msg('amy', 'm'), appendOpts());
    assert.equal(await s.endRoom(room.id, T0 + MIN), { status: 'ended' });
    assert.equal(await s.getRoom(room.id, T0 + MIN), { status: 'gone', reason: 'ended' });
    assert.equal(await s.readMessages(room.id, { limit: 5 }, T0 + MIN), { status: 'gone', reason: 'ended' });
    assert.equal(await s.listMembers(room.id, T0 + MIN), []);
    assert.equal(await s.endRoom(room.id, T0 + MIN), { status: 'gone', reason: 'ended' });
    // Its id is not reused, its creator's place is free again, and no sweep reports it a second time.
    assert.equal(await s.createRoom(room), { status: 'exists' });
    const next = newRoom({ creator: 'iss op', createdAt: T0 + MIN });
    assert.is((await s.createRoom(next, { creator: 'iss op', maxRooms: 1 })).status, 'created');
    assert.equal(await s.expireRooms(T0 + 2 * MIN), []);
    assert.equal(await s.sweepPresence(T0 + 2 * HOUR), []);
  });

  test('operators: ending an unknown or expired room says so and changes nothing', async ({ s }) => {
    assert.equal(await s.endRoom(newRoom().id, T0), { status: 'missing' });
    const room = newRoom({ expiresAt: T0 + MIN });
    await s.createRoom(room);
    assert.equal(await s.endRoom(room.id, T0 + MIN), { status: 'gone', reason: 'expired' });
    assert.equal(await s.expireRooms(T0 + MIN), [{ roomId: room.id, reason: 'expired' }]);
  });

  test('operators: of concurrent ends, one ends the room', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const results = await Promise.all([1, 2, 3].map(() => s.endRoom(room.id, T0)));
    assert.is(results.filter((r) => r.status === 'ended').length, 1);
  });

  test('operators: rooms are listed by id in pages, live ones only, with member counts', async ({ s }) => {
    const rooms = Array.from({ length: 5 }, () => newRoom()).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const r of rooms) await s.createRoom(r);
    const short = newRoom({ expiresAt: T0 + MIN });
    await s.createRoom(short);
    await s.endRoom(rooms[1]!.id, T0);
    await s.addPresence(rooms[2]!.id, { connId: 'a1', name: 'amy', key: key(1) }, T0, HOUR);
    await s.addPresence(rooms[2]!.id, { connId: 'a2', name: 'amy', key: key(1) }, T0, HOUR);
    await s.addPresence(rooms[2]!.id, { connId: 'b1', name: 'bob', key: key(2) }, T0, HOUR);
    const now = T0 + MIN;
    const seen: Room[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await s.listRooms({ limit: 2, ...(after === undefined ? {} : { after }) }, now);
      assert.ok(page.rooms.length <= 2);
      seen.push(...page.rooms);
      after = page.next;
      pages++;
    } while (after !== undefined);
    const live = [rooms[0]!, rooms[2]!, rooms[3]!, rooms[4]!].map((r) => r.id);
    assert.equal(
      seen.map((r) => r.id),
      live,
    );
    assert.is(pages, 2, 'four live rooms in pages of two: no empty third page');
    const busy = seen.find((r) => r.id === rooms[2]!.id)!;
    assert.is(busy.memberCount, 2);
    assert.is(busy.connections, 3);
    assert.equal(await s.listRooms({ limit: 10, after: rooms[4]!.id }, now), { rooms: [] });
  });
}
