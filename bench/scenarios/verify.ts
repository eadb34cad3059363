/**
 * Verify baselines, each child a process of its own: one thread of Node's
 * crypto.verify, and the best library on every core at once (one process per
 * core, started together; their rates summed) as the ingest limit.
 */
import { startChild } from '../lib/child.js';
import type { VerifyLibrary } from '../lib/verify-rate.js';

export async function verifyRate(
  durationMs: number,
  library: VerifyLibrary = 'node:crypto',
  processes = 1,
): Promise<{ perSec: number; bytes: number }> {
  const children = await Promise.all(
    Array.from({ length: processes }, (_, i) => startChild(`verify baseline ${i}`, './verify-rate.ts', [])),
  );
  try {
    const rates = await Promise.all(
      children.map((c) => c.request<{ perSec: number; bytes: number }>('rate', { durationMs, library })),
    );
    return { perSec: rates.reduce((sum, r) => sum + r.perSec, 0), bytes: rates[0]!.bytes };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}
