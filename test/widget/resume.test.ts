/**
 * resume.ts: each message once, in order; a gap is reported, never skipped; `since` only once something is held,
 * with the chain link of the message it names whenever that message is held.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChatMessage } from '../../protocol/frames.js';
import { Resume } from '../../widget/resume.js';

const m = (seq: number): Pick<ChatMessage, 'seq' | 'chain'> => ({ seq, chain: `link-${seq}` });
const welcomeUpTo = (seq: number): ChatMessage[] => [{ ...m(seq) } as ChatMessage];

test('before any welcome nothing is held: no since, and only seq 1 is next', () => {
  const r = new Resume();
  assert.equal(r.since(), {});
  assert.is(r.take(m(2)), 'gap');
  assert.is(r.take(m(1)), 'next');
  assert.equal(r.since(), { since: 1, chain: 'link-1' });
});

test('after a welcome: older and repeated messages are dropped, the next is taken, a jump is a gap', () => {
  const r = new Resume();
  r.joined(41, welcomeUpTo(41), true);
  assert.equal(r.since(), { since: 41, chain: 'link-41' });
  assert.is(r.take(m(40)), 'old');
  assert.is(r.take(m(41)), 'old');
  assert.is(r.take(m(42)), 'next');
  assert.is(r.take(m(42)), 'old');
  assert.is(r.take(m(44)), 'gap');
  // A gap takes nothing: the rejoin asks from the last message really held, with its link.
  assert.is(r.lastSeq, 42);
  assert.equal(r.since(), { since: 42, chain: 'link-42' });
});

test('a later welcome (a fresh snapshot) sets what is held', () => {
  const r = new Resume();
  r.joined(10, welcomeUpTo(10), true);
  r.joined(3, welcomeUpTo(3), true);
  assert.is(r.take(m(4)), 'next');
});

test('a fresh welcome that does not end at its lastSeq leaves no link to send; a resumed one keeps the held link', () => {
  const r = new Resume();
  r.joined(5, welcomeUpTo(5), true);
  r.joined(5, [], false);
  assert.equal(r.since(), { since: 5, chain: 'link-5' });
  r.joined(9, [], true);
  assert.equal(r.since(), { since: 9 });
});

test.run();
