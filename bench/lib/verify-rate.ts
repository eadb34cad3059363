/**
 * Baseline child: how many Ed25519 signatures one thread verifies per second
 * with crypto.verify, on the signing bytes of a typical bench message.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { sampleSigningBytes } from './payload.js';
import { serve } from './serve.js';

function rate(a: { durationMs: number }): { perSec: number; bytes: number } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const data = sampleSigningBytes();
  const sig = sign(null, data, privateKey);
  for (let i = 0; i < 200; i++) verify(null, data, publicKey, sig);
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < a.durationMs) {
    for (let i = 0; i < 100; i++) if (!verify(null, data, publicKey, sig)) throw new Error('verify failed');
    n += 100;
    t = performance.now();
  }
  return { perSec: (n * 1000) / (t - t0), bytes: data.length };
}

serve({ rate });
