import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import type { Storage } from '../../adapters/types.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';
import { newIdentity, TestClient, textOf } from '../helpers/client.js';
import { withOverrides } from '../helpers/storage-wrapper.js';
import type { ServerFrame } from '../../protocol/frames.js';
import { chainLink, genesisLink } from '../../protocol/chain.js';

const test = suite<{ srv: Running; roomId: string; a: TestClient; b: TestClient }>('send');

test.before.each(async (ctx) => {
  ctx.srv = await startServer({ maxTextLength: 20 });
  ctx.roomId = await createRoom(ctx.srv.url);
  ctx.a = await TestClient.connect(ctx.srv.url);
  ctx.b = await TestClient.connect(ctx.srv.url);
  await ctx.a.join(ctx.roomId, 'amy');
  await ctx.b.join(ctx.roomId, 'ben');
});
test.after.each(async (ctx) => {
  ctx.a.close();
  ctx.b.close();
  await ctx.srv.stop();
});

const code = (f: ServerFrame): string => (f.type === 'error' ? f.code : f.type);

test('a signed message is acknowledged and delivered to every member, sender included', async ({
  a,
  b,
  srv,
  roomId,
}) => {
  const frame = a.sendFrame('hello', { ts: srv.clock.now() });
  const room = await srv.storage.getRoom(roomId, srv.clock.now());
  if (room.status !== 'live') throw new Error(room.status);
  const record = {
    seq: 1,
    id: frame.id,
    name: 'amy',
    ts: frame.ts,
    text: 'hello',
    sig: frame.sig,
    key: a.identity.key,
  };
  const chain = await chainLink(await genesisLink(roomId, room.room.createdAt), record);
  a.sendJson(frame);
  const ack = await a.next('ack');
  assert.equal(ack, { type: 'ack', id: frame.id, seq: 1, at: srv.clock.now(), duplicate: false });
  for (const c of [a, b]) {
    const m = await c.next('message');
    assert.equal(m, {
      type: 'message',
      seq: 1,
      id: frame.id,
      name: 'amy',
      ts: frame.ts,
      text: 'hello',
      sig: frame.sig,
      key: a.identity.key,
      at: srv.clock.now(),
      chain,
    });
  }
});

test('each rejection has its own code and the socket stays open', async ({ a, srv, roomId }) => {
  const now = srv.clock.now();
  const unsigned = a.sendFrame('x', { ts: now });
  a.sendJson({ ...unsigned, sig: undefined });
  assert.is(code(await a.next('error')), 'unsigned');

  const bad = a.sendFrame('original', { ts: now });
  a.sendJson({ ...bad, text: 'changed' });
  assert.is(code(await a.next('error')), 'bad-signature');

  // Signed by another key for the same name.
  const impostor = a.sendFrame('x', { ts: now });
  const { signBytes } = await import('../helpers/client.js');
  const { messageSigningBytes } = await import('../../protocol/canonical.js');
  const forged = signBytes(
    newIdentity(),
    messageSigningBytes({ roomId, name: 'amy', id: impostor.id, ts: now, text: 'x' }),
  );
  a.sendJson({ ...impostor, sig: forged });
  assert.is(code(await a.next('error')), 'bad-signature');

  // Signed under another name.
  assert.is(code(await a.say('x', { ts: now, name: 'ben' })), 'bad-signature');

  const otherRoom = await createRoom(srv.url);
  assert.is(code(await a.say('x', { ts: now, roomId: otherRoom })), 'wrong-room');
  assert.is(code(await a.say('x', { ts: now, signRoomId: otherRoom })), 'bad-signature');

  const skew = code(await a.say('x', { ts: now - 5 * 60_000 - 1 }));
  assert.is(skew, 'clock-skew');
  assert.is(code(await a.say('x', { ts: now + 5 * 60_000 + 1 })), 'clock-skew');
  assert.is(code(await a.say('x', { ts: now + 5 * 60_000 })), 'ack');

  assert.is(code(await a.say('x'.repeat(21), { ts: now })), 'text-too-long');
  assert.is(code(await a.say('x'.repeat(20), { ts: now })), 'ack');
  // 20 code points, 40 UTF-16 units: within the limit.
  assert.is(code(await a.say('😀'.repeat(20), { ts: now })), 'ack');
  assert.is(code(await a.say('😀'.repeat(21), { ts: now })), 'text-too-long');

  assert.is(code(await a.say('lone \ud800', { ts: now })), 'text-invalid');
  assert.is(code(await a.say(' \n ', { ts: now })), 'text-invalid');

  const first = a.sendFrame('first', { id: 'fixed', ts: now });
  a.sendJson(first);
  await a.waitFor((f) => f.type === 'ack' && f.id === 'fixed');
  assert.is(code(await a.say('second', { id: 'fixed', ts: now })), 'replay');
  assert.is(code(await a.say('first', { id: 'fixed', ts: now + 1 })), 'replay');

  const errors = a.frames.filter((f) => f.type === 'error');
  assert.ok(errors.every((e) => e.type === 'error' && e.ref !== undefined));
  assert.is(a.closed, undefined);
  // Only accepted messages were stored.
  const page = await srv.storage.readMessages(roomId, { limit: 100 }, now);
  assert.equal('messages' in page && page.messages.map((m) => textOf(m)), [
    'x',
    'x'.repeat(20),
    '😀'.repeat(20),
    'first',
  ]);
});

test('the text-too-long error says the limit and the length', async ({ a, srv }) => {
  const err = await a.say('y'.repeat(25), { ts: srv.clock.now() });
  assert.is(err.type === 'error' && err.code, 'text-too-long');
  assert.is((err as { maxTextLength?: number }).maxTextLength, 20);
  assert.is((err as { length?: number }).length, 25);
});

test('a retried send is stored once and acknowledged with the original number', async ({ a, b, srv, roomId }) => {
  const frame = a.sendFrame('only once', { ts: srv.clock.now() });
  a.sendJson(frame);
  const first = await a.next('ack');
  a.sendJson(frame);
  const again = await a.next('ack');
  assert.is(again.seq, first.seq);
  assert.is(again.duplicate, true);
  assert.is(first.duplicate, false);
  await b.next('message');
  await a.say('after', { ts: srv.clock.now() });
  await b.waitFor((f) => f.type === 'message' && f.text === 'after');
  assert.equal(
    b.messages().map((m) => textOf(m)),
    ['only once', 'after'],
  );
  const page = await srv.storage.readMessages(roomId, { limit: 10 }, srv.clock.now());
  assert.is('messages' in page && page.messages.length, 2);
});

test.run();

// ---------- acknowledgement only after storage ----------

const durable = suite('ack after storage');

durable('the ack is sent only after storage holds the message', async () => {
  const inner = await createMemoryStorage();
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const appendStarted = new Promise<void>((r) => (started = r));
  const appendMessage: Storage['appendMessage'] = async (...args) => {
    events.push('append started');
    started();
    await gate;
    const r = await inner.appendMessage(...args);
    events.push('stored');
    return r;
  };
  // Every other method goes to the real adapter.
  const slow = withOverrides(inner, { appendMessage });
  const srv = await startServer({ storage: slow });
  try {
    const roomId = await createRoom(srv.url);
    const a = await TestClient.connect(srv.url);
    await a.join(roomId, 'amy');
    const reply = a.say('wait for me', { ts: srv.clock.now() }).then((f) => events.push(f.type));
    await appendStarted;
    // The server reads this ping after the frame it is storing: no ack before the pong means none was sent early.
    await a.roundTrip();
    assert.not.ok(
      a.frames.some((f) => f.type === 'ack'),
      'ack before storage',
    );
    assert.equal(events, ['append started']);
    release();
    await reply;
    assert.equal(events, ['append started', 'stored', 'ack']);
    a.close();
  } finally {
    await srv.stop();
    await inner.close();
  }
});

durable.run();
