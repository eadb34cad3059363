/**
 * A socket's answer queue (server/session/answers.ts): answers in arrival
 * order whatever order storage replies in, and a bounded pipeline that opens
 * a slot as soon as the oldest send is answered.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AnswerQueue } from '../../server/session/answers.js';

/** A storage reply the test settles by hand. */
function reply(): { promise: Promise<number>; resolve: (v: number) => void; reject: (e: unknown) => void } {
  let resolve!: (v: number) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<number>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('answers go out in arrival order, whatever order storage replies in', async () => {
  const q = new AnswerQueue();
  const out: string[] = [];
  const replies = [reply(), reply(), reply()];
  replies.forEach((r, i) =>
    q.push(
      r.promise,
      (v) => out.push(`ack ${i} ${v}`),
      (e) => out.push(`fail ${i} ${String(e)}`),
    ),
  );
  replies[2]!.resolve(30);
  replies[1]!.reject('replay');
  await turn();
  assert.equal(out, [], 'nothing overtakes the first');
  replies[0]!.resolve(10);
  await q.settled();
  assert.equal(out, ['ack 0 10', 'fail 1 replay', 'ack 2 30']);
});

test('a full pipeline opens a slot when its oldest send is answered, not when all are', async () => {
  const q = new AnswerQueue();
  const replies = Array.from({ length: 16 }, () => reply());
  for (const r of replies)
    q.push(
      r.promise,
      () => undefined,
      () => undefined,
    );
  assert.ok(q.full, '16 sends in flight fill it');
  let opened = false;
  void q.room().then(() => (opened = true));
  // A later send answered first does not open a slot: its answer still waits for the oldest.
  replies[5]!.resolve(6);
  await turn();
  assert.not.ok(opened);
  replies[0]!.resolve(1);
  await turn();
  assert.ok(opened, 'the oldest answered: room for one more');
  const next = reply();
  q.push(
    next.promise,
    () => undefined,
    () => undefined,
  );
  assert.ok(q.full, 'one slot only: the next send fills it again');
  for (const r of [...replies, next]) r.resolve(0);
  await q.settled();
  assert.not.ok(q.full);
  // With room, room() answers at once.
  let now = false;
  void q.room().then(() => (now = true));
  await Promise.resolve();
  assert.ok(now);
});

test.run();
