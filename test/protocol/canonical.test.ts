import { createPublicKey, verify } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { joinSigningBytes, messageSigningBytes, messageSigningText } from '../../protocol/canonical.js';
import { docVector } from '../helpers/doc-vector.js';

const v = docVector('vector');
const pub = v['public key']!;
const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub }, format: 'jwk' });

test('the documented message bytes are what messageSigningBytes produces', () => {
  const m = JSON.parse(v['message']!) as Parameters<typeof messageSigningBytes>[0];
  const bytes = messageSigningBytes(m);
  assert.is(Buffer.from(bytes).toString('hex'), v['message bytes (hex)']);
  assert.is(new TextDecoder().decode(bytes), v['message bytes (utf-8)']);
});

test("the server's encoding of the signing text (Buffer) is the same bytes as messageSigningBytes, for any text", () => {
  const m = JSON.parse(v['message']!) as Parameters<typeof messageSigningBytes>[0];
  for (const text of [m.text, 'héllo — 你好 👋🏽 \u2028 "quoted" \\ back', '\u0000\u001f\u007f\ud7ff\ue000\uffff']) {
    const fields = { ...m, text };
    assert.equal(new Uint8Array(Buffer.from(messageSigningText(fields), 'utf8')), messageSigningBytes(fields), text);
  }
});

test('the documented message signature verifies over those bytes, and fails for any other', () => {
  const bytes = Buffer.from(v['message bytes (hex)']!, 'hex');
  const sig = Buffer.from(v['message signature']!, 'base64url');
  assert.ok(verify(null, bytes, key, sig));
  const tampered = Buffer.from(bytes);
  tampered[tampered.length - 3]! ^= 1;
  assert.not.ok(verify(null, tampered, key, sig));
});

test('the documented join bytes and proof match', () => {
  const j = JSON.parse(v['join']!) as { roomId: string; nonce: string; alg: string };
  const bytes = joinSigningBytes({ ...j, pub });
  assert.is(Buffer.from(bytes).toString('hex'), v['join bytes (hex)']);
  assert.ok(verify(null, bytes, key, Buffer.from(v['join signature']!, 'base64url')));
});

test('the public key is RFC 8032 test key 1', () => {
  assert.is(
    Buffer.from(pub, 'base64url').toString('hex'),
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  );
});

test('message and join bytes are domain-separated', () => {
  const m = new TextDecoder().decode(messageSigningBytes({ roomId: 'r', name: 'n', id: 'i', ts: 1, text: 't' }));
  const j = new TextDecoder().decode(joinSigningBytes({ roomId: 'r', nonce: 'n', alg: 'Ed25519', pub: 'p' }));
  assert.ok(m.startsWith('["tiny-chat:message:v1",'));
  assert.ok(j.startsWith('["tiny-chat:join:v1",'));
});

test('refuses a non-integer or unsafe ts', () => {
  assert.throws(() => messageSigningBytes({ roomId: 'r', name: 'n', id: 'i', ts: 1.5, text: 't' }), /safe integer/);
  assert.throws(() => messageSigningBytes({ roomId: 'r', name: 'n', id: 'i', ts: 2 ** 60, text: 't' }), /safe integer/);
});

test.run();
