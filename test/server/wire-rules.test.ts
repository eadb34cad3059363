/**
 * The rules of docs/protocol.md that a client written from the doc alone had
 * to guess, each checked over a real socket: `ref` on frames refused by
 * their schema, the code for each malformed field, and the bounds of
 * `since` and `before`.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ErrorFrame, ServerFrame } from '../../protocol/frames.js';
import { TestClient } from '../helpers/client.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

interface Ctx {
  srv: Running;
  roomId: string;
  clients: TestClient[];
}

const test = suite<Ctx>('wire rules from docs/protocol.md');

test.before(async (ctx) => {
  ctx.srv = await startServer();
  ctx.roomId = await createRoom(ctx.srv.url);
});
test.before.each((ctx) => {
  ctx.clients = [];
});
test.after.each((ctx) => {
  for (const c of ctx.clients) c.close();
});
test.after(async (ctx) => {
  await ctx.srv.stop();
});

async function fresh(ctx: Ctx): Promise<TestClient> {
  const c = await TestClient.connect(ctx.srv.url);
  ctx.clients.push(c);
  return c;
}

async function joined(ctx: Ctx, name: string): Promise<TestClient> {
  const c = await fresh(ctx);
  await c.join(ctx.roomId, name);
  return c;
}

/** Sends `frame` and returns the next error frame. */
async function refusal(c: TestClient, frame: unknown): Promise<ErrorFrame> {
  const earlier = new Set<ServerFrame>(c.frames);
  c.sendJson(frame);
  return (await c.waitFor((f) => f.type === 'error' && !earlier.has(f))) as ErrorFrame;
}

test('a send refused by its schema names its id in ref; a join names "join"', async (ctx) => {
  const c = await joined(ctx, 'ref');
  const send = c.sendFrame('hello');
  const e = await refusal(c, { ...send, ts: -1 });
  assert.equal([e.code, e.ref], ['invalid-frame', send.id]);
  const extra = await refusal(c, { ...send, id: 'x-2', colour: 'red' });
  assert.equal([extra.code, extra.ref], ['invalid-frame', 'x-2']);
  // An id that is itself invalid cannot be named.
  const badId = await refusal(c, { ...send, id: 'no spaces' });
  assert.equal([badId.code, badId.ref], ['invalid-frame', undefined]);
  const other = await fresh(ctx);
  const j = await refusal(other, { ...other.joinFrame(ctx.roomId, 'x'), since: -1 });
  assert.equal([j.code, j.ref], ['invalid-frame', 'join']);
  const h = await refusal(c, { type: 'history', before: 0 });
  assert.equal([h.code, h.ref], ['invalid-frame', 'history']);
});

test('malformed room id, over-long wished name, empty sig and padded base64url: invalid-frame', async (ctx) => {
  const c = await fresh(ctx);
  assert.is((await refusal(c, c.joinFrame('short', 'x'))).code, 'invalid-frame');
  assert.is((await refusal(c, c.joinFrame(ctx.roomId, 'x'.repeat(65)))).code, 'invalid-frame');
  const join = c.joinFrame(ctx.roomId, 'x') as { key: { alg: string; pub: string } };
  const padded = { ...join, key: { ...join.key, pub: `${join.key.pub}=` } };
  assert.is((await refusal(c, padded)).code, 'invalid-frame');
  const member = await joined(ctx, 'sig');
  assert.is((await refusal(member, { ...member.sendFrame('hi'), sig: '' })).code, 'invalid-frame');
});

test('a name too long once normalized gets name-invalid; trailing bits set in base64url get bad-*', async (ctx) => {
  const c = await fresh(ctx);
  assert.is((await refusal(c, c.joinFrame(ctx.roomId, 'x'.repeat(33)))).code, 'name-invalid');
  assert.is((await refusal(c, c.joinFrame(ctx.roomId, 'tab\there'))).code, 'name-invalid');
  const join = c.joinFrame(ctx.roomId, 'x') as { key: { alg: string; pub: string } };
  // 43 characters carry 258 bits for 32 bytes: the last character's two low bits must be zero.
  const last = join.key.pub.at(-1)!;
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const noisy = ALPHABET[ALPHABET.indexOf(last) | 1]!;
  const key = { ...join.key, pub: join.key.pub.slice(0, -1) + noisy };
  assert.is((await refusal(c, { ...join, key })).code, 'bad-key');
  const member = await joined(ctx, 'bits');
  const send = member.sendFrame('hi');
  const sig = send.sig.slice(0, -1) + ALPHABET[ALPHABET.indexOf(send.sig.at(-1)!) | 1]!;
  assert.is((await refusal(member, { ...send, sig })).code, 'bad-signature');
});

test('since and before: integers within their documented bounds', async (ctx) => {
  const c = await fresh(ctx);
  const max = Number.MAX_SAFE_INTEGER;
  assert.is((await refusal(c, c.joinFrame(ctx.roomId, 'x', 1.5))).code, 'invalid-frame');
  assert.is((await refusal(c, c.joinFrame(ctx.roomId, 'x', max + 1))).code, 'invalid-frame');
  const welcome = await c.join(ctx.roomId, 'bounds', max);
  assert.is(welcome.resume, 'ahead');
  assert.is((await refusal(c, { type: 'history', before: max + 1 })).code, 'invalid-frame');
  assert.is((await refusal(c, { type: 'history', before: 5, limit: 101 })).code, 'invalid-frame');
  c.sendJson({ type: 'history', before: max });
  const page = await c.next('history');
  assert.equal(page.messages, []);
});

test.run();
