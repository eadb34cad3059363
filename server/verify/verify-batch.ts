/**
 * The message a VerifyPool posts to a verify thread, and how each side reads
 * it. Every job travels in one transferable buffer (its key's number, its
 * bytes, its signature), and a key travels once per thread, as a number
 * after that: cloning three strings per job cost the event loop two to three
 * times what moving one buffer does (issue 15: `postMessage` was 7 % of the
 * main thread in ingest).
 *
 * Must never: give a job another job's bytes, signature or key.
 */
import type { Alg } from '../../protocol/frames.js';

export interface VerifyBatch {
  id: number;
  /** True when the thread is to forget every key it holds before reading `keys` (the pool's key table was cleared). */
  reset: boolean;
  /** Keys this thread was not sent before: number, algorithm, base64url key. */
  keys: [number, Alg, string][];
  /**
   * The jobs: a u32 count n, then per job three u32 (its key's number, the end of its bytes, the end of its
   * signature, offsets into this buffer), then every job's bytes and base64url signature (UTF-8) back to back.
   */
  buf: ArrayBuffer;
}

/** What a job puts in a batch: its key's number, the bytes signed and the base64url signature. */
export interface PackedJob {
  key: number;
  data: Uint8Array;
  sig: string;
}

export function packJobs(jobs: readonly PackedJob[]): ArrayBuffer {
  const head = 4 * (1 + 3 * jobs.length);
  let size = head;
  for (const j of jobs) size += j.data.length + Buffer.byteLength(j.sig, 'utf8');
  const buf = new ArrayBuffer(size);
  const u32 = new Uint32Array(buf, 0, 1 + 3 * jobs.length);
  const bytes = Buffer.from(buf);
  u32[0] = jobs.length;
  let at = head;
  for (let i = 0; i < jobs.length; i++) {
    const j = jobs[i]!;
    bytes.set(j.data, at);
    at += j.data.length;
    const dataEnd = at;
    // UTF-8, so that a character that is not base64url stays one the thread refuses (latin1 would fold it).
    at += bytes.write(j.sig, at, 'utf8');
    u32[1 + 3 * i] = j.key;
    u32[2 + 3 * i] = dataEnd;
    u32[3 + 3 * i] = at;
  }
  return buf;
}

/** Calls `each` with every job of a packed buffer, in order: its key's number, its bytes, its signature. */
export function forEachJob(buf: ArrayBuffer, each: (i: number, key: number, data: Uint8Array, sig: string) => void) {
  const n = new Uint32Array(buf, 0, 1)[0]!;
  const u32 = new Uint32Array(buf, 0, 1 + 3 * n);
  const bytes = Buffer.from(buf);
  let start = 4 * (1 + 3 * n);
  for (let i = 0; i < n; i++) {
    const dataEnd = u32[2 + 3 * i]!;
    const sigEnd = u32[3 + 3 * i]!;
    each(i, u32[1 + 3 * i]!, bytes.subarray(start, dataEnd), bytes.toString('latin1', dataEnd, sigEnd));
    start = sigEnd;
  }
}

/** The number of jobs in a packed buffer. */
export function jobCount(buf: ArrayBuffer): number {
  return new Uint32Array(buf, 0, 1)[0]!;
}
