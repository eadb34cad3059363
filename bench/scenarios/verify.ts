/** Baseline: raw single-thread crypto.verify Ed25519, in its own process. */
import { startChild } from '../lib/child.js';

export async function verifyRate(durationMs: number): Promise<{ perSec: number; bytes: number }> {
  const child = await startChild('verify baseline', './verify-rate.ts', []);
  try {
    return await child.request<{ perSec: number; bytes: number }>('rate', { durationMs });
  } finally {
    await child.stop();
  }
}
