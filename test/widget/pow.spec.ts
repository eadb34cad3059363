/**
 * The widget's proof-of-work worker (widget/pow/index.ts, widget/pow/worker.ts) in
 * headless Chromium: it finds the solutions of the test vectors of
 * docs/protocol.md with WebCrypto, in a worker of its own.
 */
import { solveInWorker } from '../../widget/pow/index.js';
import { equal } from './helpers.js';

const WORKER = new URL('../../widget/pow/worker.ts', import.meta.url);
const JOIN = {
  roomId: 'sQKRn2TYX6Gk6T5-ZwysWw',
  nonce: 'n0nce-from-hello-AAAAAA',
  alg: 'Ed25519',
  pub: 'A'.repeat(43),
};

describe('proof-of-work worker', () => {
  it('solves the join and creation vectors', async () => {
    equal(await solveInWorker(WORKER, { kind: 'join', difficulty: 12, fields: JOIN }), '757');
    const challenge = 'sQKRn2TYX6Gk6T5-ZwysWw.1795493982268';
    equal(await solveInWorker(WORKER, { kind: 'create', difficulty: 12, challenge }), '2635');
  });
});
