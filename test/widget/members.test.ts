/**
 * members.ts: a coalesced `presence` frame applied to the list the widget
 * holds (protocol version 2), the server's count kept apart from the list,
 * and a big room shown as its first page plus the count.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Member } from '../../protocol/frames.js';
import { MEMBER_PAGE } from '../../protocol/limits.js';
import { Members } from '../../widget/members.js';

const member = (name: string): Member => ({ name, key: { alg: 'Ed25519', pub: `${name}-key`.padEnd(43, 'x') } });
const names = (ms: readonly Member[]): string[] => ms.map((m) => m.name);

test('a frame removes its leaves, adds its joins once, and takes the count', () => {
  let redraws = 0;
  const list = new Members(() => redraws++);
  for (const n of ['amy', 'ben', 'cy']) list.add(member(n));
  list.count = 3;
  const added = list.apply([member('dan'), member('amy')], [member('ben'), member('zed')], 3);
  assert.equal(names(added), ['dan']);
  assert.equal(names(list.list), ['amy', 'cy', 'dan']);
  assert.is(list.count, 3);
  assert.ok(list.isPinned('dan', member('dan').key.pub));
  assert.ok(redraws > 0);
});

test('a count-only frame changes the count and nothing else', () => {
  const list = new Members(() => undefined);
  list.add(member('amy'));
  assert.equal(names(list.apply([], [], 10_001)), []);
  assert.equal(names(list.list), ['amy']);
  assert.is(list.count, 10_001);
});

test('a big room shows at most a page, whatever it knows', () => {
  const list = new Members(() => undefined);
  list.apply(
    Array.from({ length: MEMBER_PAGE + 20 }, (_, i) => member(`m${i}`)),
    [],
    5000,
  );
  assert.is(list.list.length, MEMBER_PAGE + 20);
  assert.is(list.shown.length, MEMBER_PAGE);
  list.reset();
  assert.equal([list.list.length, list.count], [0, 0]);
});

test.run();
