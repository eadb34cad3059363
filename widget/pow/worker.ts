/**
 * The proof-of-work solver's Web Worker (docs/protocol.md, proof of work):
 * counts hashes off the page's thread, so the page stays responsive while a
 * server's `--proof-of-work` is paid. Built as its own file
 * (dist/bundle/tiny-chat-pow.js), started by the pow chunk (./index.ts) only
 * when a server asks for work and the file is same-origin with the page.
 *
 * Message in: a PowJob; message out: `{ solution }`.
 */
import { powBytesOf, solvePow, type PowJob } from '../../protocol/pow.js';
import { sha256 } from './digest.js';

addEventListener('message', (event: MessageEvent<PowJob>) => {
  const job = event.data;
  void solvePow(powBytesOf(job), job.difficulty, sha256).then((solution) => postMessage({ solution }));
});
