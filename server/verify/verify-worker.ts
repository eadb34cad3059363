/**
 * A verification thread of the VerifyPool: takes a batch of (key, bytes,
 * signature) jobs and answers one byte per job, 1 for a valid signature.
 * Each key is imported once, when the pool first sends it to this thread
 * (./verify-batch.ts), since one sender sends many messages.
 *
 * Must never: answer for a job other than the one at the same index.
 */
import { parentPort } from 'node:worker_threads';
import { importKey, verifySignature, type VerifyKey } from './keys.js';
import { forEachJob, jobCount, type VerifyBatch } from './verify-batch.js';

const keys = new Map<number, VerifyKey | undefined>();

parentPort!.on('message', (batch: VerifyBatch) => {
  if (batch.reset) keys.clear();
  for (const [id, alg, pub] of batch.keys) keys.set(id, importKey({ alg, pub }));
  const results = new Uint8Array(jobCount(batch.buf));
  forEachJob(batch.buf, (i, keyId, data, sig) => {
    const key = keys.get(keyId);
    results[i] = key && verifySignature(key, data, sig) ? 1 : 0;
  });
  parentPort!.postMessage({ id: batch.id, results }, [results.buffer]);
});
// Loaded: the pool sends batches from here on (batch ids start at 1).
parentPort!.postMessage({ id: 0, results: new Uint8Array(0) });
