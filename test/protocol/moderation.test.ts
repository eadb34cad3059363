/**
 * The moderation test vector of docs/protocol.md: owner claim bytes and
 * proof, moderation signing bytes and signature (deterministic Ed25519, RFC
 * 8032 test key 1), the action chain bytes and link, as protocol/moderation.ts
 * computes them.
 */
import { createHash, createPrivateKey, sign, verify, createPublicKey } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  actionChainBytes,
  moderationSigningBytes,
  ownerSigningBytes,
  type ModerationAction,
} from '../../protocol/moderation.js';
import { docVector } from '../helpers/doc-vector.js';

const v = docVector('moderation-vector');
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);
// RFC 8032 test key 1, the key of the documented message vector.
const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const PKCS8_PREFIX = '302e020100300506032b657004220420';
const privateKey = createPrivateKey({ key: Buffer.from(PKCS8_PREFIX + SEED, 'hex'), format: 'der', type: 'pkcs8' });
const PUB = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
const signed = (bytes: Uint8Array): string => sign(null, bytes, privateKey).toString('base64url');

test('the owner claim bytes and proof are what protocol/moderation.ts computes', () => {
  const bytes = ownerSigningBytes(Number(v['owner claim ts']));
  assert.is(decode(bytes), v['owner bytes (utf-8)']);
  assert.is(signed(bytes), v['owner proof']);
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: PUB }, format: 'jwk' });
  assert.ok(verify(null, bytes, pub, Buffer.from(v['owner proof']!, 'base64url')));
});

test('the moderation signing bytes, signature, action chain bytes and link match the doc', () => {
  const m = JSON.parse(v['moderate']!) as { roomId: string; id: string; ts: number; action: ModerationAction };
  const bytes = moderationSigningBytes(m);
  assert.is(decode(bytes), v['moderate bytes (utf-8)']);
  const sig = signed(bytes);
  assert.is(sig, v['moderate signature']);
  const prev = 't-2briad-h6YXR_eZY3pao0LQl67JS6y2rLCTA6dcrU';
  const record = {
    seq: 2,
    name: 'alice',
    key: { alg: 'Ed25519', pub: PUB } as const,
    id: m.id,
    ts: m.ts,
    action: m.action,
    sig,
  };
  const chainBytes = actionChainBytes(prev, record);
  assert.is(decode(chainBytes), v['action record bytes (utf-8)']);
  assert.is(createHash('sha256').update(chainBytes).digest('base64url'), v['action chain']);
});

test('the documented kick field order', () => {
  const kick: ModerationAction = { act: 'kick', target: { alg: 'ES256', pub: 'BAAA' }, forMs: 600000 };
  const bytes = moderationSigningBytes({
    roomId: 'Xq3vYk9TfB2mWcLr7HsJdA',
    id: 'a-0002',
    ts: 1764000006000,
    action: kick,
  });
  assert.is(decode(bytes), v['kick bytes (utf-8)']);
});

test('the room id binds the signature: the same action for another room has other bytes', () => {
  const m = JSON.parse(v['moderate']!) as { roomId: string; id: string; ts: number; action: ModerationAction };
  assert.is.not(
    decode(moderationSigningBytes({ ...m, roomId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
    v['moderate bytes (utf-8)'],
  );
});

test.run();
