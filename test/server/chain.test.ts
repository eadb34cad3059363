/**
 * The chain on the wire: every message a client receives (live, in a welcome,
 * in a history page) carries the link that extends the one before it, and a
 * resume names the client's last link, so a rewritten history is answered
 * `rewritten` with a fresh snapshot instead of `resumed`.
 */
import * as assert from 'uvu/assert';
import { chainLink, genesisLink } from '../../protocol/chain.js';
import { isMessage, type ChatMessage } from '../../protocol/frames.js';
import { connect, roomSuite } from '../helpers/room-suite.js';
import { textOf } from '../helpers/client.js';

const test = roomSuite('chain on the wire', { historyCap: 30, historyPage: 5 });

async function assertChained(messages: readonly ChatMessage[], prev: string): Promise<void> {
  for (const m of messages) {
    assert.is(m.chain, await chainLink(prev, m), `link of seq ${m.seq}`);
    prev = m.chain;
  }
}

test('live messages, the welcome and history pages carry one unbroken chain from the genesis link', async (ctx) => {
  const writer = await connect(ctx);
  const welcome = await writer.join(ctx.roomId, 'writer');
  // The first signature check waits for the verify threads to start, which a loaded machine makes slow.
  const first = writer.sendFrame('m1', { ts: ctx.srv.clock.now() });
  writer.sendJson(first);
  await writer.waitFor((f) => f.type === 'ack' && f.id === first.id, 30_000);
  for (let i = 2; i <= 12; i++) await writer.say(`m${i}`, { ts: ctx.srv.clock.now() });
  await writer.waitFor(() => writer.messages().length === 12);
  const genesis = await genesisLink(ctx.roomId, welcome.room.createdAt);
  await assertChained(writer.messages(), genesis);

  const reader = await connect(ctx);
  const fresh = await reader.join(ctx.roomId, 'reader');
  assert.equal(
    fresh.messages.map((m) => m.seq),
    [8, 9, 10, 11, 12],
  );
  reader.sendJson({ type: 'history', before: 8, limit: 7 });
  const page = await reader.next('history');
  await assertChained([...page.messages, ...fresh.messages].filter(isMessage), genesis);
});

test('a resume naming the link the client holds is resumed', async (ctx) => {
  const writer = await connect(ctx);
  await writer.join(ctx.roomId, 'writer');
  for (let i = 1; i <= 3; i++) await writer.say(`m${i}`, { ts: ctx.srv.clock.now() });
  await writer.waitFor(() => writer.messages().length === 3);
  const held = writer.messages()[1]!;
  const back = await connect(ctx);
  const welcome = await back.join(ctx.roomId, 'back', held.seq, held.chain);
  assert.is(welcome.resume, 'resumed');
  assert.equal(
    welcome.messages.map((m) => textOf(m)),
    ['m3'],
  );
});

test('a resume naming another link at its seq is rewritten, with a fresh snapshot', async (ctx) => {
  const writer = await connect(ctx);
  await writer.join(ctx.roomId, 'writer');
  for (let i = 1; i <= 3; i++) await writer.say(`m${i}`, { ts: ctx.srv.clock.now() });
  await writer.waitFor(() => writer.messages().length === 3);
  const held = writer.messages()[1]!;
  const other = held.chain.startsWith('A') ? `B${held.chain.slice(1)}` : `A${held.chain.slice(1)}`;
  const back = await connect(ctx);
  const welcome = await back.join(ctx.roomId, 'back', held.seq, other);
  assert.is(welcome.resume, 'rewritten');
  assert.equal(
    welcome.messages.map((m) => textOf(m)),
    ['m1', 'm2', 'm3'],
  );
  // The live stream goes on after the snapshot.
  await writer.say('m4', { ts: ctx.srv.clock.now() });
  assert.is((await back.next('message')).seq, 4);
});

test('a link that is not base64url is refused by the schema', async (ctx) => {
  const c = await connect(ctx);
  c.sendJson({ ...c.joinFrame(ctx.roomId, 'x', 1), chain: 'not a link!' });
  const err = await c.next('error');
  assert.is(err.code, 'invalid-frame');
});

test.run();
