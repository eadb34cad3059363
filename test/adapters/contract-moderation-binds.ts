/**
 * The moderation cases of the storage contract that bindName enforces
 * (adapters/types.ts BindResult): a kicked key is refused until its kick
 * ends, a banned key (and, where the room requires sign-in, the subject it
 * was bound with) until unbanned, and a locked room refuses keys that hold no
 * name in it. Slow mode is kept in Room.staff for the server to enforce.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Storage } from '../../adapters/types.js';
import { appendOpts, key, MIN, T0 } from './contract-fixtures.js';
import { act, AMY, BOB, bindAs, MOD, staffedRoom, staffOf, OWNER } from './contract-moderation-fixtures.js';

export function moderationBindCases(test: Test<{ s: Storage }>): void {
  test('moderation: a kicked key is refused until the kick ends, then rejoins its name', async ({ s }) => {
    const room = await staffedRoom(s);
    assert.is((await bindAs(s, room.id, AMY, 'amy')).status, 'bound');
    const kick = act('mo', MOD, 'k', { act: 'kick', target: AMY, forMs: 2 * MIN }, T0 + 10);
    assert.is((await s.appendAction(room.id, kick, appendOpts(T0 + 10))).status, 'stored');
    const until = T0 + 10 + 2 * MIN;
    assert.equal(await bindAs(s, room.id, AMY, 'amy', T0 + MIN), { status: 'kicked', until });
    assert.equal(await bindAs(s, room.id, AMY, 'amy', until - 1), { status: 'kicked', until });
    assert.equal(await bindAs(s, room.id, AMY, 'amy', until), { status: 'bound', name: 'amy', existing: true });
    // Others are not affected meanwhile.
    assert.is((await bindAs(s, room.id, BOB, 'bob', T0 + MIN)).status, 'bound');
  });

  test('moderation: a ban refuses the key until unbanned; unban lets it back', async ({ s }) => {
    const room = await staffedRoom(s);
    await bindAs(s, room.id, AMY, 'amy');
    assert.is(
      (await s.appendAction(room.id, act('mo', MOD, 'b', { act: 'ban', target: AMY }), appendOpts())).status,
      'stored',
    );
    assert.equal(await bindAs(s, room.id, AMY, 'amy', T0 + 4 * MIN), { status: 'banned' });
    // A key never seen can be banned before it joins.
    await s.appendAction(room.id, act('mo', MOD, 'b2', { act: 'ban', target: BOB }), appendOpts());
    assert.equal(await bindAs(s, room.id, BOB, 'bob'), { status: 'banned' });
    assert.is(
      (await s.appendAction(room.id, act('mo', MOD, 'u', { act: 'unban', target: AMY }), appendOpts())).status,
      'stored',
    );
    assert.equal(await bindAs(s, room.id, AMY, 'amy'), { status: 'bound', name: 'amy', existing: true });
    assert.equal(await bindAs(s, room.id, BOB, 'bob'), { status: 'banned' });
  });

  test('moderation: in a sign-in room a ban also refuses the subject, with any key; unban lifts both', async ({
    s,
  }) => {
    const room = await staffedRoom(s, { requireAuth: true });
    await bindAs(s, room.id, AMY, 'amy', T0, 'iss amy');
    await bindAs(s, room.id, BOB, 'bob', T0, 'iss bob');
    await s.appendAction(room.id, act('mo', MOD, 'b', { act: 'ban', target: AMY }), appendOpts());
    assert.equal(await bindAs(s, room.id, key(3), 'amy2', T0, 'iss amy'), { status: 'banned' });
    assert.equal(await bindAs(s, room.id, AMY, 'amy', T0, 'iss amy'), { status: 'banned' });
    assert.is((await bindAs(s, room.id, BOB, 'bob', T0, 'iss bob')).status, 'bound');
    await s.appendAction(room.id, act('mo', MOD, 'u', { act: 'unban', target: AMY }), appendOpts());
    assert.equal(await bindAs(s, room.id, key(3), 'amy2', T0, 'iss amy'), {
      status: 'bound',
      name: 'amy2',
      existing: false,
    });
    assert.is((await bindAs(s, room.id, AMY, 'amy', T0, 'iss amy')).status, 'bound');
  });

  test('moderation: a locked room refuses new keys; a member with a name rejoins; unlock reopens', async ({ s }) => {
    const room = await staffedRoom(s);
    await bindAs(s, room.id, AMY, 'amy');
    await s.appendAction(room.id, act('mo', MOD, 'l', { act: 'lock' }), appendOpts());
    assert.is((await staffOf(s, room.id)).locked, true);
    assert.equal(await bindAs(s, room.id, BOB, 'bob'), { status: 'locked' });
    assert.equal(await bindAs(s, room.id, AMY, 'amy'), { status: 'bound', name: 'amy', existing: true });
    await s.appendAction(room.id, act('olga', OWNER, 'u', { act: 'unlock' }), appendOpts());
    assert.is((await staffOf(s, room.id)).locked, false);
    assert.is((await bindAs(s, room.id, BOB, 'bob')).status, 'bound');
  });

  test('moderation: slow mode is kept in the room staff; 0 turns it off', async ({ s }) => {
    const room = await staffedRoom(s);
    await s.appendAction(room.id, act('mo', MOD, 's1', { act: 'slow', intervalMs: 30_000 }), appendOpts());
    assert.equal(await staffOf(s, room.id), { owner: OWNER, moderators: [MOD], locked: false, slowModeMs: 30_000 });
    await s.appendAction(room.id, act('mo', MOD, 's2', { act: 'slow', intervalMs: 0 }), appendOpts());
    assert.is((await staffOf(s, room.id)).slowModeMs, 0);
    const listed = await s.listRooms({ limit: 10 }, T0);
    assert.equal(listed.rooms.find((r) => r.id === room.id)?.staff.moderators, [MOD]);
  });
}
