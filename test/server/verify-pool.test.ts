import { generateKeyPairSync, sign } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VerifyPool } from '../../server/verify/verify-pool.js';
import { sourceVerifyPool as verifyPool, sourceWorker } from '../helpers/verify-pool.js';

function signer() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }).x!;
  return { pub, sign: (data: Uint8Array) => sign(null, data, privateKey).toString('base64url') };
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('a batch of jobs from one turn gets each its own answer', async () => {
  const a = signer();
  const b = signer();
  const jobs = Array.from({ length: 40 }, (_, i) => {
    const data = bytes(`message ${i}`);
    const by = i % 2 === 0 ? a : b;
    // Every third job is signed by the other key, every fifth over other bytes.
    const sig = (i % 3 === 0 ? (by === a ? b : a) : by).sign(i % 5 === 0 ? bytes('other') : data);
    return { pub: by.pub, data, sig, valid: i % 3 !== 0 && i % 5 !== 0 };
  });
  const answers = await Promise.all(jobs.map((j) => verifyPool().verify('Ed25519', j.pub, j.data, j.sig)));
  assert.equal(
    answers,
    jobs.map((j) => j.valid),
  );
});

test('malformed keys and signatures are answered false, not thrown', async () => {
  const a = signer();
  const data = bytes('x');
  assert.is(await verifyPool().verify('Ed25519', 'not-a-key', data, a.sign(data)), false);
  assert.is(await verifyPool().verify('Ed25519', a.pub, data, 'AAAA'), false);
  assert.is(await verifyPool().verify('ES256', a.pub, data, a.sign(data)), false);
});

test('a signature character outside ASCII is refused, even one whose low byte is the right character', async () => {
  const a = signer();
  const data = bytes('x');
  const sig = a.sign(data);
  assert.is(await verifyPool().verify('Ed25519', a.pub, data, sig), true);
  const folded = String.fromCharCode(0x100 + sig.charCodeAt(5));
  assert.is(await verifyPool().verify('Ed25519', a.pub, data, sig.slice(0, 5) + folded + sig.slice(6)), false);
});

test("past the key table's bound, every thread forgets its keys and a key in use is sent again", async () => {
  const a = signer();
  const data = bytes('kept');
  const pool = new VerifyPool(1, sourceWorker);
  try {
    assert.is(await pool.verify('Ed25519', a.pub, data, a.sign(data)), true);
    // 10,000 other keys in one turn: the table is cleared before this batch is numbered.
    const others = Array.from({ length: 10_000 }, (_, i) => pool.verify('Ed25519', `k${i}`, data, 'AAAA'));
    assert.ok((await Promise.all(others)).every((ok) => !ok));
    assert.is(await pool.verify('Ed25519', a.pub, data, a.sign(data)), true);
    assert.is(await pool.verify('Ed25519', a.pub, bytes('changed'), a.sign(data)), false);
  } finally {
    await pool.close();
  }
});

test('a pool of size 0 verifies on the event loop with the same answers', async () => {
  const a = signer();
  const data = bytes('inline');
  const pool = new VerifyPool(0);
  assert.is(await pool.verify('Ed25519', a.pub, data, a.sign(data)), true);
  assert.is(await pool.verify('Ed25519', a.pub, bytes('changed'), a.sign(data)), false);
});

test('a thread that dies with jobs in flight: they are answered on the event loop, and a new thread takes the next batch', async () => {
  const a = signer();
  const jobs = Array.from({ length: 10 }, (_, i) => {
    const data = bytes(`job ${i}`);
    return { data, sig: a.sign(i % 2 === 0 ? data : bytes('other')), valid: i % 2 === 0 };
  });
  // The thread is terminated in place of receiving its first batch: a real thread exit with a batch owed.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with apply(this) below
  const post = Worker.prototype.postMessage;
  let posts = 0;
  Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
    if (++posts === 1) return void this.terminate();
    return post.apply(this, args);
  };
  try {
    const pool = new VerifyPool(1, sourceWorker);
    // Bounded, so a regression fails here instead of hanging the run.
    let timer: NodeJS.Timeout | undefined;
    const answers = await Promise.race([
      Promise.all(jobs.map((j) => pool.verify('Ed25519', a.pub, j.data, j.sig))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('jobs left unanswered')), 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
    assert.equal(
      answers,
      jobs.map((j) => j.valid),
    );
    const data = bytes('after the crash');
    assert.is(await pool.verify('Ed25519', a.pub, data, a.sign(data)), true);
    assert.is(posts, 2, 'the second batch went to a new thread');
  } finally {
    Worker.prototype.postMessage = post;
  }
});

test.run();
