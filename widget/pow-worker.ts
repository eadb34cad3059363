/**
 * The proof-of-work solver's Web Worker (docs/protocol.md, proof of work):
 * counts hashes off the page's thread, so the page stays responsive while a
 * server's `--proof-of-work` is paid. Built as its own file
 * (dist/bundle/tiny-chat-pow.js), loaded only when a server asks for work, so
 * the script-tag bundle does not carry it.
 *
 * Message in: a PowJob; message out: `{ solution }`.
 */
import { powCreateBytes, powJoinBytes, solvePow } from '../protocol/pow.js';
import type { PowJob } from './pow.js';

const digest = async (bytes: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice().buffer));

addEventListener('message', (event: MessageEvent<PowJob>) => {
  const job = event.data;
  const bytesOf =
    job.kind === 'join'
      ? (s: string): Uint8Array => powJoinBytes(job.fields, s)
      : (s: string): Uint8Array => powCreateBytes(job.challenge, s);
  void solvePow(bytesOf, job.difficulty, digest).then((solution) => postMessage({ solution }));
});
