/** resume.ts: each message once, in order; a gap is reported, never skipped; `since` only once something is held. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Resume } from '../../widget/resume.js';

test('before any welcome nothing is held: no since, and only seq 1 is next', () => {
  const r = new Resume();
  assert.equal(r.since(), {});
  assert.is(r.take(2), 'gap');
  assert.is(r.take(1), 'next');
  assert.equal(r.since(), { since: 1 });
});

test('after a welcome: older and repeated messages are dropped, the next is taken, a jump is a gap', () => {
  const r = new Resume();
  r.joined(41);
  assert.equal(r.since(), { since: 41 });
  assert.is(r.take(40), 'old');
  assert.is(r.take(41), 'old');
  assert.is(r.take(42), 'next');
  assert.is(r.take(42), 'old');
  assert.is(r.take(44), 'gap');
  // A gap takes nothing: the rejoin asks from the last message really held.
  assert.is(r.lastSeq, 42);
  assert.equal(r.since(), { since: 42 });
});

test('a later welcome (a fresh snapshot) sets what is held', () => {
  const r = new Resume();
  r.joined(10);
  r.joined(3);
  assert.is(r.take(4), 'next');
});

test.run();
