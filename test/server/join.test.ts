import * as assert from 'uvu/assert';
import { createRoom } from '../helpers/server.js';
import { connect, roomSuite, type RoomContext } from '../helpers/room-suite.js';
import type { TestClient } from '../helpers/client.js';
import { newIdentity, signBytes, textOf } from '../helpers/client.js';
import { joinSigningBytes } from '../../protocol/canonical.js';
import { MAX_NAME_LENGTH, MAX_WISHED_NAME_LENGTH } from '../../protocol/limits.js';

const test = roomSuite('join');

const client = (ctx: RoomContext, identity = newIdentity()): Promise<TestClient> => connect(ctx, identity);

test('hello carries a fresh nonce and the limits', async (ctx) => {
  const a = await client(ctx);
  const b = await client(ctx);
  const hello = a.frames[0];
  assert.is(hello?.type, 'hello');
  if (hello?.type !== 'hello') return;
  assert.is(hello.v, 3);
  assert.is(Buffer.from(hello.nonce, 'base64url').length, 32);
  assert.is.not(a.nonce, b.nonce);
  assert.equal(hello.limits, {
    maxTextLength: 1000,
    maxFrameBytes: 16384,
    historyCap: 500,
    clockSkewMs: 300000,
    historyPage: 50,
  });
});

test('join answers with the name, the member list and the history', async (ctx) => {
  const a = await client(ctx);
  const welcome = await a.join(ctx.roomId, 'Alice');
  assert.is(welcome.name, 'Alice');
  assert.is(welcome.room.roomId, ctx.roomId);
  assert.equal(welcome.members, [{ name: 'Alice', key: a.identity.key }]);
  assert.equal(welcome.messages, []);
  assert.is(welcome.firstSeq, 1);
  assert.is(welcome.lastSeq, 0);
  assert.is(welcome.resume, 'fresh');
  assert.is(welcome.room.memberCount, 1);
  assert.is(welcome.room.idleExpiresAt, null);
  await a.say('first');
  const b = await client(ctx);
  const wb = await b.join(ctx.roomId, 'bob');
  assert.equal(
    wb.members.map((m) => m.name),
    ['Alice', 'bob'],
  );
  assert.equal(
    wb.messages.map((m) => textOf(m)),
    ['first'],
  );
});

test('a wished name that looks like a taken one gets a derived name', async (ctx) => {
  const a = await client(ctx);
  await a.join(ctx.roomId, 'alice');
  const names: string[] = [];
  for (const wished of [
    'ALICE',
    'аlice' /* Cyrillic а */,
    'aIice' /* capital i */,
    'álice',
    'ａｌｉｃｅ' /* fullwidth */,
  ]) {
    const c = await client(ctx);
    names.push((await c.join(ctx.roomId, wished)).name);
  }
  assert.equal(names, ['ALICE-2', 'аlice-3', 'aIice-4', 'álice-5', 'alice-6']);
});

test('rejoining with the same key gives back the same name; no other key can take it', async (ctx) => {
  const id = newIdentity();
  const a = await client(ctx, id);
  assert.is((await a.join(ctx.roomId, 'carol')).name, 'carol');
  a.close();
  await a.waitClosed();
  const again = await client(ctx, id);
  assert.is((await again.join(ctx.roomId, 'somebody else')).name, 'carol');
  again.close();
  await again.waitClosed();
  const thief = await client(ctx);
  assert.is((await thief.join(ctx.roomId, 'carol')).name, 'carol-2');
});

test('names are NFKC-normalized and white space is folded', async (ctx) => {
  const a = await client(ctx);
  assert.is((await a.join(ctx.roomId, '  ﬁona \u00a0 the\u3000great ')).name, 'fiona the great');
});

test('names with control, bidi-override or zero-width characters are refused', async (ctx) => {
  const a = await client(ctx);
  for (const bad of [
    'eve\u202egnp',
    'z\u200bero',
    'tab\u0007',
    'iso\u2066late',
    'bom\ufeff',
    '   ',
    'x'.repeat(33),
    'hangul\u3164',
  ]) {
    a.sendJson(a.joinFrame(ctx.roomId, bad));
    const err = await a.next('error');
    assert.is(err.code, 'name-invalid', JSON.stringify(bad));
    assert.is(err.ref, 'join');
  }
  // The socket stayed open and can still join.
  assert.is((await a.join(ctx.roomId, 'eve')).name, 'eve');
});

test('name lengths: 64 UTF-16 units reach the name rules, which allow 32 code points; longer is a bad frame', async (ctx) => {
  const a = await client(ctx);
  const refusal = async (name: string): Promise<string> => {
    a.sendJson(a.joinFrame(ctx.roomId, name));
    return (await a.next('error')).code;
  };
  assert.is(await refusal('x'.repeat(MAX_NAME_LENGTH + 1)), 'name-invalid');
  assert.is(await refusal('x'.repeat(MAX_WISHED_NAME_LENGTH)), 'name-invalid');
  assert.is(await refusal('x'.repeat(MAX_WISHED_NAME_LENGTH + 1)), 'invalid-frame');
  // Each emoji is two UTF-16 units: the longest name is exactly the longest wished one.
  const emoji = '\u{1F600}'.repeat(MAX_NAME_LENGTH);
  assert.is(emoji.length, MAX_WISHED_NAME_LENGTH);
  assert.is((await a.join(ctx.roomId, emoji)).name, emoji);
});

test('a join proof must verify, over this connection nonce', async (ctx) => {
  const a = await client(ctx);
  const other = await client(ctx);
  const frame = a.joinFrame(ctx.roomId, 'mallory');
  // The same proof on another connection (another nonce) is refused.
  other.sendJson(frame);
  assert.is((await other.next('error')).code, 'bad-proof');
  // A proof by another key is refused.
  const { key } = a.identity;
  const forged = signBytes(
    newIdentity(),
    joinSigningBytes({ roomId: ctx.roomId, nonce: a.nonce, alg: key.alg, pub: key.pub }),
  );
  a.sendJson({ ...frame, proof: forged });
  assert.is((await a.next('error')).code, 'bad-proof');
  // A proof for another room is refused.
  const otherRoom = await createRoom(ctx.srv.url);
  a.sendJson({ ...a.joinFrame(otherRoom, 'mallory'), roomId: ctx.roomId });
  assert.is((await a.next('error')).code, 'bad-proof');
});

test('a malformed key is refused', async (ctx) => {
  const a = await client(ctx);
  const frame = a.joinFrame(ctx.roomId, 'k');
  a.sendJson({ ...frame, key: { alg: 'Ed25519', pub: 'AAAA' } });
  assert.is((await a.next('error')).code, 'bad-key');
  a.sendJson({ ...frame, key: { alg: 'ES256', pub: Buffer.alloc(65, 7).toString('base64url') } });
  assert.is((await a.next('error')).code, 'bad-key');
});

test('ECDSA P-256 keys can join and send', async (ctx) => {
  const { generateKeyPairSync, sign } = await import('node:crypto');
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
  const c = await client(ctx);
  const key = { alg: 'ES256' as const, pub: Buffer.from(raw).toString('base64url') };
  const bytes = joinSigningBytes({ roomId: ctx.roomId, nonce: c.nonce, alg: key.alg, pub: key.pub });
  const proof = sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  c.sendJson({ type: 'join', roomId: ctx.roomId, name: 'pat', key, proof });
  const welcome = await c.next('welcome');
  assert.equal(welcome.members[0]?.key, key);
  const { messageSigningBytes } = await import('../../protocol/canonical.js');
  const ts = ctx.srv.clock.now();
  const mb = messageSigningBytes({ roomId: ctx.roomId, name: 'pat', id: 'p1', ts, text: 'p-256 works' });
  const sig = sign('sha256', mb, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  c.sendJson({ type: 'send', roomId: ctx.roomId, id: 'p1', ts, text: 'p-256 works', sig });
  assert.is((await c.next('ack')).seq, 1);
});

test('joining an unknown room is refused and the socket stays open', async (ctx) => {
  const a = await client(ctx);
  a.sendJson(a.joinFrame('AAAAAAAAAAAAAAAAAAAAAA', 'nobody'));
  const err = await a.next('error');
  assert.is(err.code, 'room-not-found');
  assert.is((await a.join(ctx.roomId, 'somebody')).name, 'somebody');
});

test('a second join on one socket is refused', async (ctx) => {
  const a = await client(ctx);
  await a.join(ctx.roomId, 'one');
  a.sendJson(a.joinFrame(ctx.roomId, 'two'));
  assert.is((await a.next('error')).code, 'already-joined');
});

test('send and history before join are refused', async (ctx) => {
  const a = await client(ctx);
  a.sendJson({ type: 'history', before: 10 });
  assert.is((await a.next('error')).code, 'not-joined');
  a.roomId = ctx.roomId;
  a.name = 'x';
  const reply = await a.say('too early');
  assert.is(reply.type === 'error' && reply.code, 'not-joined');
});

test.run();
