/**
 * A verification thread of the VerifyPool: takes a batch of (key, bytes,
 * signature) jobs and answers one byte per job, 1 for a valid signature.
 * Keys are imported once and kept, since one sender sends many messages.
 *
 * Must never: answer for a job other than the one at the same index.
 */
import { parentPort } from 'node:worker_threads';
import type { Alg } from '../../protocol/frames.js';
import { importKey, verifySignature, type VerifyKey } from './keys.js';
import type { VerifyBatch } from './verify-pool.js';

const KEY_CACHE_MAX = 10_000;
const keys = new Map<string, VerifyKey | undefined>();

function keyFor(alg: Alg, pub: string): VerifyKey | undefined {
  const id = `${alg}:${pub}`;
  if (keys.has(id)) return keys.get(id);
  if (keys.size >= KEY_CACHE_MAX) keys.clear();
  const key = importKey({ alg, pub });
  keys.set(id, key);
  return key;
}

parentPort!.on('message', (batch: VerifyBatch) => {
  const results = new Uint8Array(batch.algs.length);
  let start = 0;
  for (let i = 0; i < results.length; i++) {
    const end = batch.ends[i]!;
    const key = keyFor(batch.algs[i]!, batch.pubs[i]!);
    results[i] = key && verifySignature(key, batch.data.subarray(start, end), batch.sigs[i]!) ? 1 : 0;
    start = end;
  }
  parentPort!.postMessage({ id: batch.id, results }, [results.buffer]);
});
