/**
 * Solves a server's proof of work (protocol/pow.ts) in the page: in a Web Worker (./worker.ts, built to tiny-chat-pow.js) when it
 * can, and on the page's main thread otherwise. A worker must be same-origin
 * with the page, and a strict CSP may refuse it (no blob: workers either): the
 * usual embed, a script from the chat server on another site's page, gets no
 * worker. The main thread then solves in slices of a few milliseconds, giving
 * the page its turn between slices, so typing and clicks stay responsive.
 *
 * Must never block the page for more than a slice, nor leave a worker
 * running after its job is done or stopped.
 */
import { powBytesOf, solvePow, type PowJob } from '../../protocol/pow.js';
import { sha256 } from './digest.js';

/**
 * The worker's file, built beside this chunk (rollup.config.mjs: dist/bundle/tiny-chat-pow.js
 * next to tiny-chat.pow.min.js and widget.pow.js; server/static.ts serves it beside /tiny-chat.js).
 */
const WORKER_URL = new URL('tiny-chat-pow.js', import.meta.url).href;

/** Long enough to amortize a yield, short enough that input waits no more than a frame. */
const SLICE_MS = 8;

/** Solves `job`: in a worker when its file is same-origin with the page and it starts, else on this thread. */
export async function solve(job: PowJob, signal: AbortSignal, workerUrl = WORKER_URL): Promise<string> {
  if (new URL(workerUrl, location.href).origin === location.origin) {
    const solved = await solveInWorker(workerUrl, job, signal).catch(() => undefined);
    if (solved !== undefined) return solved;
  }
  signal.throwIfAborted();
  return solveOnPage(job, signal);
}

/** Resolves with the solution; rejects when the worker cannot start (CSP, missing file) or is stopped. */
export async function solveInWorker(workerUrl: string | URL, job: PowJob, signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  // A module worker: the built file is one script either way, and the source one imports the protocol.
  // A worker the page may not start throws here (cross-origin) or fails with an error event (CSP, no file).
  const worker = new Worker(workerUrl, { type: 'module' });
  try {
    return await new Promise<string>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      worker.onmessage = (event: MessageEvent<{ solution: string }>) => resolve(event.data.solution);
      worker.onerror = (event) => reject(new Error(event.message || 'proof-of-work worker failed'));
      worker.postMessage(job);
    });
  } finally {
    worker.terminate();
  }
}

/** A macrotask that setTimeout's clamping and background throttling do not stretch. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function solveOnPage(job: PowJob, signal: AbortSignal): Promise<string> {
  return solvePow(powBytesOf(job), job.difficulty, sha256, { sliceMs: SLICE_MS, pause: nextTask, signal });
}
