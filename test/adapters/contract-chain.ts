/**
 * The chain cases of the storage contract (adapters/types.ts appendMessage):
 * every adapter links each message to the one before it, from the room's
 * genesis link, atomically with its seq, through trimming and under
 * concurrent appends. Actions and tombstones are links of the same chain. The links are recomputed here from protocol/chain.ts
 * with WebCrypto, the way a client checks them.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Storage } from '../../adapters/types.js';
import { chainLink, genesisLink } from '../../protocol/chain.js';
import { isMessage, type ChatMessage, type Entry } from '../../protocol/frames.js';
import { actionChainBytes } from '../../protocol/moderation.js';
import { appendOpts, msg, newRoom, T0 } from './contract-fixtures.js';

/**
 * Throws unless every entry extends the one before it (the first, `prev`). A
 * tombstone's link is checked over its original text, which the caller
 * passes by seq (a client holding the message checks it the same way).
 */
export async function assertChained(
  entries: readonly Entry[],
  prev: string,
  removedTexts: ReadonlyMap<number, string> = new Map(),
): Promise<void> {
  for (const e of entries) {
    assert.is(e.chain, await entryLink(prev, e, removedTexts), `link of seq ${e.seq}`);
    prev = e.chain;
  }
}

async function entryLink(prev: string, e: Entry, removedTexts: ReadonlyMap<number, string>): Promise<string> {
  if (isMessage(e)) return chainLink(prev, e);
  if (e.kind === 'removed') {
    const text = removedTexts.get(e.seq);
    if (text === undefined) throw new Error(`no original text given for removed seq ${e.seq}`);
    return chainLink(prev, { ...e, text });
  }
  const digest = await crypto.subtle.digest('SHA-256', actionChainBytes(prev, e).slice().buffer);
  return Buffer.from(digest).toString('base64url');
}

export function chainCases(test: Test<{ s: Storage }>): void {
  test('chain: each message links to the one before it, the first to the genesis link', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    for (let i = 1; i <= 4; i++) {
      const r = await s.appendMessage(room.id, msg(`u${i % 2}`, `m${i}`, `text ${i} ✓`), appendOpts());
      assert.is(r.status, 'stored');
    }
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    if (!('messages' in page)) throw new Error('room not live');
    assert.is(page.messages.length, 4);
    await assertChained(page.messages, await genesisLink(room.id, room.createdAt));
  });

  test('chain: the stored message carries the link the append answered, and a duplicate its original', async ({
    s,
  }) => {
    const room = newRoom();
    await s.createRoom(room);
    const stored = await s.appendMessage(room.id, msg('amy', 'a'), appendOpts());
    const again = await s.appendMessage(room.id, msg('amy', 'a'), appendOpts(T0 + 1));
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    assert.is(stored.status === 'stored' && stored.message.chain, 'messages' in page && page.messages[0]!.chain);
    assert.is(again.status === 'duplicate' && again.message.chain, 'messages' in page && page.messages[0]!.chain);
  });

  test('chain: trimming keeps the links, and the next message extends the last one', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    const all: ChatMessage[] = [];
    for (let i = 1; i <= 6; i++) {
      const r = await s.appendMessage(room.id, msg('amy', `m${i}`), appendOpts(T0, 2));
      if (r.status !== 'stored') throw new Error(r.status);
      all.push(r.message);
    }
    await assertChained(all, await genesisLink(room.id, room.createdAt));
    const page = await s.readMessages(room.id, { limit: 10 }, T0);
    assert.equal('messages' in page && page.messages, all.slice(-2));
  });

  test('chain: rooms with the same messages have different chains', async ({ s }) => {
    const a = newRoom();
    const b = newRoom();
    await s.createRoom(a);
    await s.createRoom(b);
    const ra = await s.appendMessage(a.id, msg('amy', 'x'), appendOpts());
    const rb = await s.appendMessage(b.id, msg('amy', 'x'), appendOpts());
    assert.ok(ra.status === 'stored' && rb.status === 'stored');
    assert.is.not(ra.status === 'stored' && ra.message.chain, rb.status === 'stored' && rb.message.chain);
  });

  test('chain: concurrent appends form one unbroken chain', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => s.appendMessage(room.id, msg(`u${i % 4}`, `c${i}`), appendOpts())),
    );
    const page = await s.readMessages(room.id, { limit: 100 }, T0);
    if (!('messages' in page)) throw new Error('room not live');
    assert.is(page.messages.length, 40);
    await assertChained(page.messages, await genesisLink(room.id, room.createdAt));
  });
}
