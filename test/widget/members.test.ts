/**
 * members.ts: a coalesced `presence` frame applied to the list the widget
 * holds (protocol version 2), the server's count kept apart from the list,
 * and a big room's list followed and paged on demand (members frames).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Member, MembersFrame } from '../../protocol/frames.js';
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

test('a cut welcome does not follow: the first ask is the first page, which then is the list', () => {
  const list = new Members(() => undefined);
  const first = Array.from({ length: MEMBER_PAGE }, (_, i) => member(`m${String(i).padStart(3, '0')}`));
  list.welcomed(first, 250);
  assert.equal([list.following, list.more, list.list.length], [false, false, MEMBER_PAGE]);
  const sent: MembersFrame[] = [];
  const send = (f: MembersFrame): boolean => (sent.push(f), true);
  list.ask(send);
  list.ask(send);
  assert.equal(sent, [{ type: 'members' }], 'one page at a time');
  // m000 left before the page was read: the page, not the welcome, is the list now.
  list.page({ type: 'members', after: null, members: first.slice(1), memberCount: 249, next: 'm099' });
  assert.equal([list.following, list.more, list.list.length, list.count], [true, true, MEMBER_PAGE - 1, 249]);
  // A join past the pages fetched, applied before the page that holds it: listed once.
  list.apply([member('m150')], [], 250);
  list.ask(send);
  assert.equal(sent[1], { type: 'members', after: 'm099' });
  const rest = Array.from({ length: 151 }, (_, i) => member(`m${100 + i}`));
  list.page({ type: 'members', after: 'm099', members: rest, memberCount: 250, next: null });
  assert.is(list.list.length, 250);
  assert.is(new Set(names(list.list)).size, 250);
  assert.equal([list.more, list.count], [false, 250]);
  list.ask(send);
  assert.is(sent.length, 2, 'a whole list asks for nothing');
});

test('a whole welcome follows; an ask that could not be sent is asked again', () => {
  const list = new Members(() => undefined);
  list.welcomed([member('amy')], 1);
  assert.equal([list.following, list.more], [true, false]);
  list.welcomed([member('amy')], 2);
  let tries = 0;
  list.ask(() => (tries++, false));
  list.ask(() => (tries++, true));
  assert.is(tries, 2);
  list.reset();
  assert.equal([list.list.length, list.count, list.more], [0, 0, false]);
});

test.run();
