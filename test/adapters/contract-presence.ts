/**
 * Contract cases for the connection and member counts. Every adapter keeps
 * them as presence changes rather than counting the room's connections per
 * join (issue 12, big rooms), and counts connection by connection only while
 * some are past their ttl and not yet swept: these cases walk both paths and
 * every change that moves a count (a second socket of a name, a connection
 * added again under another name, a removal, an expiry before and after its
 * sweep).
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PresenceRemoval, Storage } from '../../adapters/types.js';
import { key, MIN, newRoom, T0 } from './contract-fixtures.js';

const byName = (a: PresenceRemoval, b: PresenceRemoval): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function presenceCases(test: Test<{ s: Storage }>): void {
  test('counts follow every add, re-add, removal and expiry, swept or not', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const counts = async (now: number): Promise<[number, number] | string> => {
      const found = await s.getRoom(room.id, now);
      return found.status === 'live' ? [found.room.connections, found.room.memberCount] : found.status;
    };
    await s.addPresence(room.id, { connId: 'c1', name: 'amy', key: key(1) }, T0, MIN);
    await s.addPresence(room.id, { connId: 'c2', name: 'amy', key: key(1) }, T0, 3 * MIN);
    await s.addPresence(room.id, { connId: 'c3', name: 'bea', key: key(2) }, T0, MIN);
    await s.addPresence(room.id, { connId: 'c4', name: 'cid', key: key(3) }, T0, 3 * MIN);
    assert.equal(await counts(T0), [4, 3]);

    // c1 and c3 are past their ttl and not swept: they count for nothing, and bea joins anew.
    const at = T0 + MIN;
    assert.equal(await counts(at), [2, 2]);
    const bea = await s.addPresence(room.id, { connId: 'c5', name: 'bea', key: key(2) }, at, 3 * MIN);
    assert.equal(bea, { status: 'ok', first: true, memberCount: 3 });
    // c2 added again as dan: amy has no live connection left, dan is one more.
    const dan = await s.addPresence(room.id, { connId: 'c2', name: 'dan', key: key(4) }, at + 1, 3 * MIN);
    assert.equal(dan, { status: 'ok', first: false, memberCount: 3 });
    assert.equal(await counts(at + 1), [3, 3]);

    const swept = (await s.sweepPresence(at + 1)).sort(byName);
    assert.equal(swept, [
      { roomId: room.id, name: 'amy', key: key(1), last: true, memberCount: 3 },
      { roomId: room.id, name: 'bea', key: key(2), last: false, memberCount: 3 },
    ]);
    // Nothing is past its ttl now: the kept counts answer, and they agree.
    assert.equal(await counts(at + 2), [3, 3]);
    assert.equal(
      (await s.listMembers(room.id, at + 2)).map((m) => m.name),
      ['bea', 'cid', 'dan'],
    );
    const again = await s.addPresence(room.id, { connId: 'c6', name: 'dan', key: key(4) }, at + 2, 3 * MIN);
    assert.equal(again, { status: 'ok', first: false, memberCount: 3 });
    assert.equal(await counts(at + 2), [4, 3]);
    const gone = await s.removePresence(room.id, 'c5', at + 3);
    assert.equal(gone, { roomId: room.id, name: 'bea', key: key(2), last: true, memberCount: 2 });
    const half = await s.removePresence(room.id, 'c2', at + 3);
    assert.equal(half, { roomId: room.id, name: 'dan', key: key(4), last: false, memberCount: 2 });
    assert.equal(await counts(at + 3), [2, 2]);
    await s.removePresence(room.id, 'c4', at + 4);
    await s.removePresence(room.id, 'c6', at + 4);
    assert.equal(await counts(at + 4), [0, 0]);
  });
}
