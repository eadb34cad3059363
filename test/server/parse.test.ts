import * as assert from 'uvu/assert';
import { createRoom } from '../helpers/server.js';
import { connect, roomSuite } from '../helpers/room-suite.js';

const test = roomSuite('bad input');

test('malformed JSON, unknown types and wrong field types each get their code; the socket stays open', async (ctx) => {
  const cases: [string | Buffer, string][] = [
    ['{not json', 'malformed-json'],
    ['', 'malformed-json'],
    ['[]', 'invalid-frame'],
    ['"join"', 'invalid-frame'],
    ['null', 'invalid-frame'],
    ['{}', 'invalid-frame'],
    ['{"type":7}', 'invalid-frame'],
    ['{"type":"shout"}', 'unknown-type'],
    ['{"type":"__proto__"}', 'unknown-type'],
    ['{"type":"toString"}', 'unknown-type'],
    ['{"type":"history","before":"9"}', 'invalid-frame'],
    ['{"type":"history","before":1.5}', 'invalid-frame'],
    ['{"type":"history","before":0}', 'invalid-frame'],
    ['{"type":"history","before":5,"extra":1}', 'invalid-frame'],
    ['{"type":"join","roomId":"short","name":"x","key":{"alg":"Ed25519","pub":"AA"},"proof":"AA"}', 'invalid-frame'],
    [Buffer.from([1, 2, 3]), 'invalid-frame'],
  ];
  // A fresh socket every 8 cases, so that the garbage limit (10 per 10 s) is not what this test sees.
  let c = await connect(ctx);
  for (const [i, [data, code]] of cases.entries()) {
    if (i > 0 && i % 8 === 0) c = await connect(ctx);
    c.raw(data);
    const err = await c.next('error');
    assert.is(err.code, code, `case ${i}: ${String(data)}`);
    assert.is(err.category, 'invalid');
    assert.is(err.temporary, false);
  }
  assert.is(c.closed, undefined);
  assert.is((await c.join(ctx.roomId, 'survivor')).name, 'survivor');
});

test('an invalid-frame error names the offending field', async (ctx) => {
  const c = await connect(ctx);
  c.sendJson({ type: 'history', before: 'soon' });
  const err = await c.next('error');
  assert.match(err.message, /\/before/);
});

test('a frame over the size limit is refused; far over it closes the socket with 1009', async (ctx) => {
  const c = await connect(ctx);
  await c.join(ctx.roomId, 'big');
  const frame = c.sendFrame('x'.repeat(17_000), { ts: ctx.srv.clock.now() });
  c.sendJson(frame);
  const err = await c.next('error');
  assert.is(err.code, 'frame-too-large');
  assert.is((err as { maxFrameBytes?: number }).maxFrameBytes, 16384);
  assert.is(c.closed, undefined);
  await c.say('still fine', { ts: ctx.srv.clock.now() });
  c.sendJson(c.sendFrame('y'.repeat(70_000), { ts: ctx.srv.clock.now() }));
  const closed = await c.waitClosed();
  assert.is(closed.code, 1009);
});

test('a client that keeps sending garbage is closed with 4400', async (ctx) => {
  const c = await connect(ctx);
  for (let i = 0; i < 11; i++) c.raw('garbage');
  const closed = await c.waitClosed();
  assert.equal(closed, { code: 4400, reason: 'too-many-errors' });
  assert.ok(c.frames.some((f) => f.type === 'error' && f.code === 'too-many-errors'));
  assert.is(c.frames.filter((f) => f.type === 'error' && f.code === 'malformed-json').length, 11);
});

test('garbage on one socket does not touch another room or another socket', async (ctx) => {
  const other = await createRoom(ctx.srv.url);
  const good = await connect(ctx);
  await good.join(other, 'good');
  const peer = await connect(ctx);
  await peer.join(other, 'peer');
  const bad = await connect(ctx);
  await bad.join(ctx.roomId, 'bad');
  const nasty = [
    '{"type":"send","roomId":"' + other + '","id":"x","ts":1,"text":"hi","sig":"AA"}',
    '{"type":"join","roomId":"' +
      other +
      '","name":"good","key":{"alg":"Ed25519","pub":"' +
      good.identity.key.pub +
      '"},"proof":"AAAA"}',
    '{"type":"send","roomId":"' + ctx.roomId + '","id":"' + 'z'.repeat(65) + '","ts":1,"text":"x","sig":"AA"}',
    '{"type":"send","roomId":"' + ctx.roomId + '","id":"a","ts":-1,"text":"x","sig":"AA"}',
    '{"type":"send","roomId":"' + ctx.roomId + '","id":"a","ts":1e400,"text":"x","sig":"AA"}',
    '{"__proto__":{"polluted":1},"type":"history","before":1}',
    '{"type":"history","before":9007199254740993}',
  ];
  for (const n of nasty) bad.raw(n);
  await bad.waitFor(() => bad.frames.filter((f) => f.type === 'error').length >= nasty.length);
  assert.is(({} as { polluted?: number }).polluted, undefined);
  await good.say('unharmed', { ts: ctx.srv.clock.now() });
  const m = await peer.next('message');
  assert.is(m.text, 'unharmed');
  assert.is(m.seq, 1);
  const page = await ctx.srv.storage.readMessages(ctx.roomId, { limit: 10 }, ctx.srv.clock.now());
  assert.equal('messages' in page && page.messages, []);
  const health = await fetch(`${ctx.srv.url}/healthz`);
  assert.is(health.status, 200);
});

test.run();
