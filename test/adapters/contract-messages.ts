/**
 * The message cases of the storage contract (adapters/types.ts appendMessage
 * and readMessages): contiguous numbers, exact text, dedupe by (name, id),
 * the history cap, and rooms kept apart.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Storage } from '../../adapters/types.js';
import { appendOpts, key, msg, newRoom, roomId, T0, textOf } from './contract-fixtures.js';

export function messageCases(test: Test<{ s: Storage }>): void {
  test('assigns contiguous sequence numbers and reads them back', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    for (let i = 1; i <= 5; i++) {
      const r = await s.appendMessage(room.id, msg('amy', `m${i}`, `hello ${i}`, T0 + i), appendOpts(T0 + i));
      assert.is(r.status, 'stored');
      if (r.status !== 'stored') return;
      assert.is(r.message.seq, i);
      assert.is(r.message.text, `hello ${i}`);
      assert.is(r.message.at, T0 + i);
      assert.equal(r.message.key, key(1));
    }
    const all = await s.readMessages(room.id, { limit: 100 }, T0);
    assert.ok('messages' in all);
    if (!('messages' in all)) return;
    assert.equal(
      all.messages.map((m) => m.seq),
      [1, 2, 3, 4, 5],
    );
    assert.is(all.firstSeq, 1);
    assert.is(all.lastSeq, 5);
    assert.equal(all.messages[2], {
      seq: 3,
      id: 'm3',
      name: 'amy',
      ts: T0 + 3,
      text: 'hello 3',
      sig: 'c2ln',
      key: key(1),
      at: T0 + 3,
      // The link's value is the chain cases' business (contract-chain.ts).
      chain: all.messages[2]!.chain,
    });
    const after = await s.readMessages(room.id, { after: 2, limit: 2 }, T0);
    assert.equal('messages' in after && after.messages.map((m) => m.seq), [3, 4]);
    const before = await s.readMessages(room.id, { before: 5, limit: 2 }, T0);
    assert.equal('messages' in before && before.messages.map((m) => m.seq), [3, 4]);
    const latest = await s.readMessages(room.id, { limit: 2 }, T0);
    assert.equal('messages' in latest && latest.messages.map((m) => m.seq), [4, 5]);
    const none = await s.readMessages(room.id, { after: 5, limit: 10 }, T0);
    assert.equal('messages' in none && none.messages, []);
  });

  test('keeps unicode text exactly', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const text = 'héllo 👋🏽 \u202e "quotes" \\ \n new line \u0000 end';
    await s.appendMessage(room.id, msg('amy', 'u1', text), appendOpts());
    const page = await s.readMessages(room.id, { limit: 1 }, T0);
    assert.is('messages' in page && textOf(page.messages[0]), text);
  });

  test('concurrent appends get unique contiguous numbers', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => s.appendMessage(room.id, msg(`u${i % 3}`, `c${i}`), appendOpts())),
    );
    const seqs = results.map((r) => (r.status === 'stored' ? r.message.seq : -1)).sort((a, b) => a - b);
    assert.equal(
      seqs,
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    const page = await s.readMessages(room.id, { limit: 100 }, T0);
    assert.equal('messages' in page && page.messages.map((m) => m.seq), seqs);
  });

  test('a retry with the same id and content is stored once', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const first = await s.appendMessage(room.id, msg('amy', 'same', 'hi'), appendOpts());
    await s.appendMessage(room.id, msg('amy', 'other', 'x'), appendOpts());
    const again = await s.appendMessage(room.id, msg('amy', 'same', 'hi'), appendOpts(T0 + 5));
    assert.is(first.status, 'stored');
    assert.is(again.status, 'duplicate');
    assert.is(again.status === 'duplicate' && again.message.seq, 1);
    // The same id from another user is another message.
    const bea = await s.appendMessage(room.id, msg('bea', 'same', 'hi'), appendOpts());
    assert.is(bea.status === 'stored' && bea.message.seq, 3);
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    assert.is('messages' in page && page.messages.length, 3);
  });

  test('appends in flight together keep their call order, and a repeated id among them is stored once', async ({
    s,
  }) => {
    // A socket's sends are pipelined (server/session/session.ts): they reach storage without waiting for each other.
    const room = newRoom();
    await s.createRoom(room);
    const results = await Promise.all([
      s.appendMessage(room.id, msg('amy', 'p1', 'one'), appendOpts()),
      s.appendMessage(room.id, msg('amy', 'p2', 'two'), appendOpts()),
      s.appendMessage(room.id, msg('amy', 'p1', 'one'), appendOpts()),
      s.appendMessage(room.id, msg('amy', 'p1', 'forged'), appendOpts()),
      s.appendMessage(room.id, msg('amy', 'p3', 'three'), appendOpts()),
    ]);
    assert.equal(
      results.map((r) => (r.status === 'stored' || r.status === 'duplicate' ? [r.status, r.message.seq] : [r.status])),
      [['stored', 1], ['stored', 2], ['duplicate', 1], ['conflict'], ['stored', 3]],
    );
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    assert.equal('messages' in page && page.messages.map(textOf), ['one', 'two', 'three']);
  });

  test('the same id with other content is a conflict and changes nothing', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    await s.appendMessage(room.id, msg('amy', 'id1', 'original'), appendOpts());
    assert.equal(await s.appendMessage(room.id, msg('amy', 'id1', 'forged'), appendOpts()), { status: 'conflict' });
    const otherTs = { ...msg('amy', 'id1', 'original'), ts: T0 + 1 };
    assert.equal(await s.appendMessage(room.id, otherTs, appendOpts()), { status: 'conflict' });
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    assert.equal('messages' in page && page.messages.map(textOf), ['original']);
    assert.is('lastSeq' in page && page.lastSeq, 1);
  });

  test('caps history; numbers are never reused after trimming', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    for (let i = 1; i <= 7; i++) await s.appendMessage(room.id, msg('amy', `m${i}`), appendOpts(T0, 3));
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    assert.equal('messages' in page && page.messages.map((m) => m.seq), [5, 6, 7]);
    assert.is('firstSeq' in page && page.firstSeq, 5);
    assert.is('lastSeq' in page && page.lastSeq, 7);
    const found = await s.getRoom(room.id, T0);
    assert.is(found.status === 'live' && found.room.firstSeq, 5);
    const before = await s.readMessages(room.id, { before: 6, limit: 10 }, T0);
    assert.equal('messages' in before && before.messages.map((m) => m.seq), [5]);
    const next = await s.appendMessage(room.id, msg('amy', 'm8'), appendOpts(T0, 3));
    assert.is(next.status === 'stored' && next.message.seq, 8);
  });

  test('a replay of a trimmed message inside the dedupe window is still a duplicate', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    await s.appendMessage(room.id, msg('amy', 'old', 'first'), appendOpts(T0, 1));
    await s.appendMessage(room.id, msg('amy', 'new', 'second'), appendOpts(T0 + 1, 1));
    const replay = await s.appendMessage(room.id, msg('amy', 'old', 'first'), appendOpts(T0 + 2, 1));
    assert.is(replay.status, 'duplicate');
    assert.is(replay.status === 'duplicate' && replay.message.seq, 1);
    const forged = await s.appendMessage(room.id, msg('amy', 'old', 'forged'), appendOpts(T0 + 3, 1));
    assert.equal(forged, { status: 'conflict' });
    const page = await s.readMessages(room.id, { limit: 10 }, T0 + 3);
    assert.equal('messages' in page && page.messages.map((m) => m.id), ['new']);
  });

  test('rooms do not share sequence numbers or history', async ({ s }) => {
    const a = newRoom();
    const b = newRoom();
    await s.createRoom(a);
    await s.createRoom(b);
    await s.appendMessage(a.id, msg('amy', 'x'), appendOpts());
    await s.appendMessage(a.id, msg('amy', 'y'), appendOpts());
    const rb = await s.appendMessage(b.id, msg('amy', 'x', 'in b'), appendOpts());
    assert.is(rb.status === 'stored' && rb.message.seq, 1);
    const pa = await s.readMessages(a.id, { limit: 10 }, T0);
    assert.equal('messages' in pa && pa.messages.map((m) => m.id), ['x', 'y']);
  });

  test('appending to or reading an unknown room says missing', async ({ s }) => {
    const id = roomId();
    assert.equal(await s.appendMessage(id, msg('amy', 'x'), appendOpts()), { status: 'missing' });
    assert.equal(await s.readMessages(id, { limit: 1 }, T0), { status: 'missing' });
  });
}
