import { generateKeyPairSync, sign } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ed25519, ed25519On, loadSodium } from '../../server/verify/ed25519.js';
import { importKey, verifySignature } from '../../server/verify/keys.js';

const sodium = loadSodium();
const backends = [ed25519On(sodium), ed25519On(undefined)];

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { publicKey, privateKey, raw };
}

test('sodium-native loads here, and this process verifies with it', () => {
  assert.ok(sodium, 'sodium-native has a binary for this platform');
  assert.is(ed25519.library, 'libsodium');
  assert.is(backends[1]!.library, 'node:crypto');
});

test('libsodium and Node crypto give the same answer on good and bad signatures', () => {
  const amy = keyPair();
  const bob = keyPair();
  const data = Buffer.from('tiny-chat signing bytes');
  const sig = sign(null, data, amy.privateKey);
  const flipped = Buffer.from(sig);
  flipped[10]! ^= 1;
  for (const b of backends) {
    assert.is(b.verify(amy.raw, amy.publicKey, data, sig), true, `${b.library}: a good signature`);
    assert.is(b.verify(amy.raw, amy.publicKey, data, flipped), false, `${b.library}: a flipped bit`);
    assert.is(b.verify(amy.raw, amy.publicKey, Buffer.from('other bytes'), sig), false, `${b.library}: other data`);
    assert.is(b.verify(bob.raw, bob.publicKey, data, sig), false, `${b.library}: another key`);
  }
});

test('keys.ts verifies through the process library, from the wire form', () => {
  const amy = keyPair();
  const data = new TextEncoder().encode('hello');
  const key = importKey({ alg: 'Ed25519', pub: amy.raw.toString('base64url') });
  assert.ok(key);
  const sig = sign(null, data, amy.privateKey).toString('base64url');
  assert.is(verifySignature(key, data, sig), true);
  assert.is(verifySignature(key, new TextEncoder().encode('hellp'), sig), false);
});

test.run();
