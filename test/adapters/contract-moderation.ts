/**
 * The moderation cases of the storage contract (adapters/types.ts
 * appendAction): who may do what, checked in the same atomic step that
 * stores the action; what a promote or demote leaves in Room.staff; how a
 * remove turns a message into a tombstone at its seq without touching the
 * chain; and that actions dedupe and count against the cap like messages.
 * Kicks, bans, lock and slow mode: contract-moderation-binds.ts.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Storage } from '../../adapters/types.js';
import { genesisLink } from '../../protocol/chain.js';
import { isMessage } from '../../protocol/frames.js';
import { assertChained } from './contract-chain.js';
import { appendOpts, MIN, msg, newRoom, T0, textOf } from './contract-fixtures.js';
import { act, AMY, MOD, MOD2, OWNER, staffedRoom, staffOf } from './contract-moderation-fixtures.js';

export function moderationCases(test: Test<{ s: Storage }>): void {
  test('moderation: a room created with an owner key has it as owner; without one, nobody', async ({ s }) => {
    const owned = newRoom({ ownerKey: OWNER, creator: 'ip:1' });
    const created = await s.createRoom(owned);
    assert.equal(created.status === 'created' && created.room.staff, {
      owner: OWNER,
      moderators: [],
      locked: false,
      slowModeMs: 0,
    });
    const found = await s.getRoom(owned.id, T0);
    assert.equal(found.status === 'live' && found.room.ownerKey, OWNER);
    assert.equal(await staffOf(s, owned.id), { owner: OWNER, moderators: [], locked: false, slowModeMs: 0 });
    const ownerless = newRoom();
    await s.createRoom(ownerless);
    assert.is((await staffOf(s, ownerless.id)).owner, null);
    // Nobody can moderate it, whatever key they hold.
    assert.equal(await s.appendAction(ownerless.id, act('x', OWNER, 'a', { act: 'lock' }), appendOpts()), {
      status: 'forbidden',
    });
  });

  test('moderation: the owner promotes and demotes; each action has its own seq and link', async ({ s }) => {
    const room = await staffedRoom(s);
    await s.appendMessage(room.id, msg('amy', 'm1'), appendOpts());
    const p2 = await s.appendAction(room.id, act('olga', OWNER, 'p2', { act: 'promote', target: MOD2 }), appendOpts());
    assert.is(p2.status === 'stored' && p2.entry.seq, 3);
    assert.equal((await staffOf(s, room.id)).moderators, [MOD, MOD2]);
    const d = await s.appendAction(room.id, act('olga', OWNER, 'd1', { act: 'demote', target: MOD }), appendOpts());
    assert.is(d.status, 'stored');
    if (d.status !== 'stored') return;
    assert.equal(d.entry, {
      kind: 'action',
      seq: 4,
      id: 'd1',
      name: 'olga',
      key: OWNER,
      ts: T0,
      action: { act: 'demote', target: MOD },
      sig: 'c2lnbg',
      at: T0,
      chain: d.entry.chain,
    });
    assert.equal((await staffOf(s, room.id)).moderators, [MOD2]);
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    if (!('messages' in page)) throw new Error('room not live');
    assert.equal(
      page.messages.map((e) => ('kind' in e ? e.kind : 'message')),
      ['action', 'message', 'action', 'action'],
    );
    assert.equal(page.messages[3], d.entry);
    await assertChained(page.messages, await genesisLink(room.id, room.createdAt));
    assert.is(page.lastSeq, 4);
  });

  test('moderation: forbidden for non-staff, owner-only acts by a moderator, and acts on staff', async ({ s }) => {
    const room = await staffedRoom(s);
    await s.appendAction(room.id, act('olga', OWNER, 'p2', { act: 'promote', target: MOD2 }), appendOpts());
    const refused = [
      act('amy', AMY, 'x1', { act: 'lock' }),
      act('mo', MOD, 'x2', { act: 'promote', target: AMY }),
      act('mo', MOD, 'x3', { act: 'demote', target: MOD2 }),
      act('mo', MOD, 'x4', { act: 'kick', target: OWNER, forMs: MIN }),
      act('mo', MOD, 'x5', { act: 'ban', target: MOD2 }),
      act('mo', MOD, 'x6', { act: 'unban', target: MOD2 }),
      act('mo', MOD, 'x7', { act: 'kick', target: MOD2, forMs: MIN }),
      act('olga', OWNER, 'x8', { act: 'ban', target: OWNER }),
      act('olga', OWNER, 'x9', { act: 'kick', target: OWNER, forMs: MIN }),
    ];
    for (const a of refused) {
      assert.equal(await s.appendAction(room.id, a, appendOpts()), { status: 'forbidden' }, a.id);
    }
    // What a moderator may do, and the owner on a moderator.
    assert.is((await s.appendAction(room.id, act('mo', MOD, 'k', { act: 'lock' }), appendOpts())).status, 'stored');
    const onMod = act('olga', OWNER, 'b', { act: 'kick', target: MOD2, forMs: MIN });
    assert.is((await s.appendAction(room.id, onMod, appendOpts())).status, 'stored');
    // Nothing refused took a seq.
    const found = await s.getRoom(room.id, T0);
    assert.is(found.status === 'live' && found.room.lastSeq, 4);
  });

  test('moderation: a demoted moderator is refused, even replaying a new id', async ({ s }) => {
    const room = await staffedRoom(s);
    assert.is((await s.appendAction(room.id, act('mo', MOD, 'a1', { act: 'lock' }), appendOpts())).status, 'stored');
    await s.appendAction(room.id, act('olga', OWNER, 'd', { act: 'demote', target: MOD }), appendOpts());
    assert.equal(await s.appendAction(room.id, act('mo', MOD, 'a2', { act: 'unlock' }), appendOpts()), {
      status: 'forbidden',
    });
    // Its earlier action, replayed, is the stored one: nothing new.
    const replay = await s.appendAction(room.id, act('mo', MOD, 'a1', { act: 'lock' }), appendOpts());
    assert.is(replay.status === 'duplicate' && replay.entry.seq, 2);
    assert.is((await staffOf(s, room.id)).locked, true);
  });

  test('moderation: standing is checked in the step that stores: no action of a moderator after its demotion', async ({
    s,
  }) => {
    const room = await staffedRoom(s);
    const mine = Array.from({ length: 12 }, (_, i) => act('mo', MOD, `s${i}`, { act: 'slow', intervalMs: i }));
    const demote = act('olga', OWNER, 'd', { act: 'demote', target: MOD });
    const results = await Promise.all([
      ...mine.slice(0, 6).map((a) => s.appendAction(room.id, a, appendOpts())),
      s.appendAction(room.id, demote, appendOpts()),
      ...mine.slice(6).map((a) => s.appendAction(room.id, a, appendOpts())),
    ]);
    const d = results[6]!;
    if (d.status !== 'stored') throw new Error(d.status);
    for (const r of results) {
      assert.ok(r.status === 'stored' || r.status === 'forbidden', r.status);
      if (r.status === 'stored' && r !== d) assert.ok(r.entry.seq < d.entry.seq, 'a moderator acted after demotion');
    }
  });

  test('moderation: of concurrent removes of one message, one stores it; the rest name no target', async ({ s }) => {
    const room = await staffedRoom(s);
    const m = await s.appendMessage(room.id, msg('amy', 'm1'), appendOpts());
    if (m.status !== 'stored') throw new Error(m.status);
    const rm = { act: 'remove' as const, seq: m.message.seq, chain: m.message.chain };
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => s.appendAction(room.id, act('mo', MOD, `r${i}`, rm), appendOpts())),
    );
    assert.equal(results.map((r) => r.status).sort(), ['no-target', 'no-target', 'no-target', 'no-target', 'stored']);
  });

  test('moderation: remove leaves a tombstone at that seq, erases the text, keeps every link', async ({ s }) => {
    const room = await staffedRoom(s);
    const texts = ['one', 'two is secret', 'three'];
    const stored = [];
    for (const [i, t] of texts.entries()) {
      const r = await s.appendMessage(room.id, { ...msg('amy', `m${i}`, t), key: AMY }, appendOpts());
      if (r.status !== 'stored') throw new Error(r.status);
      stored.push(r.message);
    }
    const target = stored[1]!;
    const rm = act('mo', MOD, 'rm', { act: 'remove', seq: target.seq, chain: target.chain }, T0 + 5);
    const r = await s.appendAction(room.id, rm, appendOpts(T0 + 5));
    if (r.status !== 'stored') throw new Error(r.status);
    const { seq, id, name, key, ts, sig, at, chain } = target;
    const tomb = {
      kind: 'removed',
      seq,
      id,
      name,
      key,
      ts,
      sig,
      at,
      chain,
      removedBy: { seq: 5, name: 'mo', key: MOD },
    };
    assert.equal(r.removed, tomb);
    assert.is(r.entry.seq, 5);
    const all = await s.readMessages(room.id, { limit: 10 }, T0 + 5);
    if (!('messages' in all)) throw new Error('room not live');
    assert.equal(all.messages[2], tomb);
    assert.not.ok(JSON.stringify(all.messages).includes('two is secret'));
    assert.equal(all.messages.map(textOf), [undefined, 'one', undefined, 'three', undefined]);
    await assertChained(all.messages, await genesisLink(room.id, room.createdAt), new Map([[3, 'two is secret']]));
    // Pages after and before the tombstone carry it at its seq.
    const after = await s.readMessages(room.id, { after: 2, limit: 2 }, T0 + 5);
    assert.equal('messages' in after && after.messages[0], tomb);
    const before = await s.readMessages(room.id, { before: 4, limit: 1 }, T0 + 5);
    assert.equal('messages' in before && before.messages, [tomb]);
    // A replay of the removed message is a duplicate under its seq: it does not bring the text back.
    const replay = await s.appendMessage(room.id, { ...msg('amy', 'm1', 'two is secret'), key: AMY }, appendOpts());
    assert.is(replay.status === 'duplicate' && replay.message.seq, 3);
    const still = await s.readMessages(room.id, { after: 2, limit: 1 }, T0 + 5);
    assert.equal('messages' in still && still.messages, [tomb]);
    // The next message links to the remove action.
    const next = await s.appendMessage(room.id, msg('amy', 'm9'), appendOpts(T0 + 6));
    const again = await s.readMessages(room.id, { after: 4, limit: 5 }, T0 + 6);
    if (next.status !== 'stored' || !('messages' in again)) throw new Error('not stored');
    await assertChained(again.messages.slice(1), r.entry.chain);
  });

  test('moderation: remove of a wrong link, an action, a missing or removed seq names no target', async ({ s }) => {
    const room = await staffedRoom(s);
    const m = await s.appendMessage(room.id, msg('amy', 'm1', 'x'), appendOpts());
    if (m.status !== 'stored') throw new Error(m.status);
    const p = await s.readMessages(room.id, { limit: 1, before: 2 }, T0);
    const promoteLink = 'messages' in p ? p.messages[0]!.chain : '';
    const misses = [
      { act: 'remove' as const, seq: m.message.seq, chain: promoteLink },
      { act: 'remove' as const, seq: 1, chain: promoteLink },
      { act: 'remove' as const, seq: 99, chain: m.message.chain },
    ];
    for (const [i, a] of misses.entries()) {
      assert.equal(await s.appendAction(room.id, act('mo', MOD, `n${i}`, a), appendOpts()), { status: 'no-target' });
    }
    const rm = { act: 'remove' as const, seq: m.message.seq, chain: m.message.chain };
    assert.is((await s.appendAction(room.id, act('mo', MOD, 'r1', rm), appendOpts())).status, 'stored');
    assert.equal(await s.appendAction(room.id, act('olga', OWNER, 'r2', rm), appendOpts()), { status: 'no-target' });
    // A trimmed message is no target either.
    await s.appendMessage(room.id, msg('amy', 'm2'), appendOpts(T0, 2));
    const m3 = await s.appendMessage(room.id, msg('amy', 'm3'), appendOpts(T0, 2));
    const m3seq = m3.status === 'stored' ? m3.message.seq : 0;
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    assert.equal('messages' in page && page.messages.map((e) => e.seq), [m3seq - 1, m3seq]);
    const gone = { act: 'remove' as const, seq: m.message.seq, chain: m.message.chain };
    assert.equal(await s.appendAction(room.id, act('mo', MOD, 'r3', gone), appendOpts(T0, 2)), {
      status: 'no-target',
    });
  });

  test('moderation: actions dedupe by (name, id): same content a duplicate, other a conflict', async ({ s }) => {
    const room = await staffedRoom(s);
    const lock = act('mo', MOD, 'a', { act: 'lock' });
    const first = await s.appendAction(room.id, lock, appendOpts());
    const again = await s.appendAction(room.id, { ...lock, at: T0 + 9 }, appendOpts(T0 + 9));
    if (first.status !== 'stored') throw new Error(first.status);
    assert.equal(again, { status: 'duplicate', entry: first.entry });
    assert.equal(await s.appendAction(room.id, act('mo', MOD, 'a', { act: 'unlock' }), appendOpts()), {
      status: 'conflict',
    });
    assert.equal(await s.appendAction(room.id, { ...lock, ts: T0 + 1 }, appendOpts()), { status: 'conflict' });
    // One index with messages: a message id reused for an action, or the reverse, is a conflict.
    await s.appendMessage(room.id, { ...msg('mo', 'shared'), key: MOD }, appendOpts());
    assert.equal(await s.appendAction(room.id, act('mo', MOD, 'shared', { act: 'unlock' }), appendOpts()), {
      status: 'conflict',
    });
    assert.equal(await s.appendMessage(room.id, { ...msg('mo', 'a'), key: MOD }, appendOpts()), { status: 'conflict' });
    // Another actor's same id is another action.
    const owner = await s.appendAction(room.id, act('olga', OWNER, 'a', { act: 'unlock' }), appendOpts());
    assert.is(owner.status === 'stored' && owner.entry.seq, 4);
  });

  test('moderation: actions count against the cap; a trimmed one replayed is still a duplicate', async ({ s }) => {
    const room = await staffedRoom(s);
    await s.appendMessage(room.id, msg('amy', 'm1'), appendOpts(T0, 2));
    await s.appendAction(room.id, act('mo', MOD, 's1', { act: 'slow', intervalMs: 5000 }), appendOpts(T0, 2));
    await s.appendAction(room.id, act('mo', MOD, 's2', { act: 'slow', intervalMs: 0 }), appendOpts(T0, 2));
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    if (!('messages' in page)) throw new Error('room not live');
    assert.equal(
      page.messages.map((e) => e.seq),
      [3, 4],
    );
    assert.is(page.firstSeq, 3);
    assert.not.ok(page.messages.some(isMessage));
    const replay = await s.appendAction(room.id, act('mo', MOD, 's1', { act: 'slow', intervalMs: 5000 }), {
      ...appendOpts(T0 + 1, 2),
    });
    assert.is(replay.status, 'duplicate');
    if (replay.status !== 'duplicate') return;
    assert.is(replay.entry.seq, 3);
    const trimmed = await s.appendAction(room.id, act('olga', OWNER, 'p1', { act: 'promote', target: MOD }), {
      ...appendOpts(T0 + 1, 2),
    });
    assert.is(trimmed.status === 'duplicate' && trimmed.entry.seq, 1);
    assert.is(trimmed.status === 'duplicate' && trimmed.entry.chain, undefined);
    assert.is((await staffOf(s, room.id)).slowModeMs, 0);
  });

  test('moderation: acting in an unknown or ended room says so', async ({ s }) => {
    const a = act('olga', OWNER, 'x', { act: 'lock' });
    assert.equal(await s.appendAction(newRoom().id, a, appendOpts()), { status: 'missing' });
    const room = await staffedRoom(s);
    await s.endRoom(room.id, T0);
    assert.equal(await s.appendAction(room.id, a, appendOpts()), { status: 'gone', reason: 'ended' });
  });
}
