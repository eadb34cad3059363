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

/** More jobs in one turn than the pool verifies on the event loop: they go to the threads. */
const TO_THREADS = 8;

/**
 * A job's answer both ways: alone while the threads are idle (verified on the event loop), and in a turn of
 * TO_THREADS copies once the threads have loaded (verified on a thread).
 */
async function bothWays(
  pool: VerifyPool,
  pub: string,
  data: Uint8Array,
  sig: string,
  alg: 'Ed25519' | 'ES256' = 'Ed25519',
) {
  await pool.ready();
  const alone = await pool.verify(alg, pub, data, sig);
  const batch = await Promise.all(Array.from({ length: TO_THREADS }, () => pool.verify(alg, pub, data, sig)));
  return [alone, ...new Set(batch)];
}

/** Counts the batches posted to threads while `fn` runs. */
async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; posts: number }> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with apply(this) below
  const post = Worker.prototype.postMessage;
  let posts = 0;
  Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
    posts++;
    return post.apply(this, args);
  };
  try {
    return { result: await fn(), posts };
  } finally {
    Worker.prototype.postMessage = post;
  }
}

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
  await verifyPool().ready();
  const answers = await Promise.all(jobs.map((j) => verifyPool().verify('Ed25519', j.pub, j.data, j.sig)));
  assert.equal(
    answers,
    jobs.map((j) => j.valid),
  );
});

test('malformed keys and signatures are answered false, not thrown', async () => {
  const a = signer();
  const data = bytes('x');
  assert.equal(await bothWays(verifyPool(), 'not-a-key', data, a.sign(data)), [false, false]);
  assert.equal(await bothWays(verifyPool(), a.pub, data, 'AAAA'), [false, false]);
  assert.equal(await bothWays(verifyPool(), a.pub, data, a.sign(data), 'ES256'), [false, false]);
});

test('a signature character outside ASCII is refused, even one whose low byte is the right character', async () => {
  const a = signer();
  const data = bytes('x');
  const sig = a.sign(data);
  assert.equal(await bothWays(verifyPool(), a.pub, data, sig), [true, true]);
  const folded = String.fromCharCode(0x100 + sig.charCodeAt(5));
  assert.equal(await bothWays(verifyPool(), a.pub, data, sig.slice(0, 5) + folded + sig.slice(6)), [false, false]);
});

test("past the key table's bound, every thread forgets its keys and a key in use is sent again", async () => {
  const a = signer();
  const data = bytes('kept');
  const pool = new VerifyPool(1, sourceWorker);
  try {
    assert.equal(await bothWays(pool, a.pub, data, a.sign(data)), [true, true]);
    // 10,000 other keys in one turn: the table is cleared before this batch is numbered.
    const others = Array.from({ length: 10_000 }, (_, i) => pool.verify('Ed25519', `k${i}`, data, 'AAAA'));
    assert.ok((await Promise.all(others)).every((ok) => !ok));
    assert.equal(await bothWays(pool, a.pub, data, a.sign(data)), [true, true]);
    assert.equal(await bothWays(pool, a.pub, bytes('changed'), a.sign(data)), [false, false]);
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
    await pool.ready();
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
    // The thread that died had loaded: it is replaced at once, and the next turn of jobs goes to the new one.
    await pool.ready();
    const data = bytes('after the crash');
    const after = Array.from({ length: TO_THREADS }, () => pool.verify('Ed25519', a.pub, data, a.sign(data)));
    assert.ok((await Promise.all(after)).every((ok) => ok));
    assert.is(posts, 2, 'the second batch went to a new thread');
    await pool.close();
  } finally {
    Worker.prototype.postMessage = post;
  }
});

test('a few jobs while the threads are idle are verified on the event loop; a larger turn goes to the threads', async () => {
  const a = signer();
  const pool = new VerifyPool(2, sourceWorker);
  try {
    await pool.ready();
    const lone = await counted(() =>
      Promise.all([1, 2].map((i) => pool.verify('Ed25519', a.pub, bytes(`${i}`), a.sign(bytes(`${i}`))))),
    );
    assert.equal(lone.result, [true, true]);
    assert.is(lone.posts, 0, 'two jobs in a turn with idle threads: no round trip to a thread');
    const turn = Array.from({ length: 40 }, (_, i) => ({ data: bytes(`m${i}`), valid: i % 4 !== 0 }));
    const many = await counted(() =>
      Promise.all(turn.map((j) => pool.verify('Ed25519', a.pub, j.data, a.sign(j.valid ? j.data : bytes('other'))))),
    );
    assert.equal(
      many.result,
      turn.map((j) => j.valid),
    );
    assert.ok(many.posts >= 1, 'forty jobs in a turn go to the threads');
  } finally {
    await pool.close();
  }
});

test('jobs that arrive before any thread has loaded are answered without waiting for one', async () => {
  const a = signer();
  // A real thread that never finishes loading: it never says it is ready.
  const pool = new VerifyPool(1, () => new Worker('setInterval(() => {}, 1000);', { eval: true }));
  try {
    const turn = Array.from({ length: 20 }, (_, i) => ({ data: bytes(`early ${i}`), valid: i % 3 !== 0 }));
    const { result, posts } = await counted(() =>
      Promise.all(turn.map((j) => pool.verify('Ed25519', a.pub, j.data, a.sign(j.valid ? j.data : bytes('other'))))),
    );
    assert.equal(
      result,
      turn.map((j) => j.valid),
    );
    assert.is(posts, 0, 'nothing was sent to the thread that has not loaded');
  } finally {
    await pool.close();
  }
});

test.run();
