/**
 * Solves a server's proof-of-work in a Web Worker (./pow-worker.ts): one
 * worker per job, ended with it. The worker is a file of its own, loaded from
 * the URL given (the page's origin: a worker must be same-origin, and strict
 * CSP allows no blob: worker), so it costs the script-tag bundle nothing
 * until a server asks for work.
 */
import type { PowJoinFields } from '../protocol/pow.js';

export type PowJob =
  | { readonly kind: 'join'; readonly difficulty: number; readonly fields: PowJoinFields }
  | { readonly kind: 'create'; readonly difficulty: number; readonly challenge: string };

export function solveInWorker(workerUrl: string | URL, job: PowJob): Promise<string> {
  // A module worker: the built file is one script either way, and the source one imports the protocol.
  const worker = new Worker(workerUrl, { type: 'module' });
  return new Promise<string>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ solution: string }>) => resolve(event.data.solution);
    worker.onerror = (event) => reject(new Error(event.message || 'proof-of-work worker failed'));
    worker.postMessage(job);
  }).finally(() => worker.terminate());
}
