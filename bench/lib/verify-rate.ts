/**
 * Baseline child: how many Ed25519 signatures one thread verifies per second
 * on the signing bytes of a typical bench message, with Node's crypto.verify
 * (the key imported once) or with libsodium (sodium-native), the best library
 * this machine has (issue 15: about 2.5× crypto.verify per signature).
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { loadSodium } from '../../server/verify/ed25519.js';
import { sampleSigningBytes } from './payload.js';
import { serve } from './serve.js';

export type VerifyLibrary = 'node:crypto' | 'libsodium';

function rate(a: { durationMs: number; library: VerifyLibrary }): { perSec: number; bytes: number } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const data = sampleSigningBytes();
  const sig = sign(null, data, privateKey);
  let check: () => boolean = () => verify(null, data, publicKey, sig);
  if (a.library === 'libsodium') {
    const sodium = loadSodium();
    if (!sodium) throw new Error('sodium-native does not load here');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    check = () => sodium.crypto_sign_verify_detached(sig, data, raw);
  }
  for (let i = 0; i < 200; i++) check();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < a.durationMs) {
    for (let i = 0; i < 100; i++) if (!check()) throw new Error('verify failed');
    n += 100;
    t = performance.now();
  }
  return { perSec: (n * 1000) / (t - t0), bytes: data.length };
}

serve({ rate });
