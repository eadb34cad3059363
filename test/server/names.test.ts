import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_NAME_LENGTH } from '../../protocol/names.js';
import { codePointLength } from '../../protocol/text.js';
import { nameCandidates } from '../../server/names.js';

test('candidates start with the name, then numbered, all within the length limit', () => {
  const c = nameCandidates('bob', () => 0.5);
  assert.is(c[0]?.name, 'bob');
  assert.is(c[1]?.name, 'bob-2');
  assert.is(c[19]?.name, 'bob-20');
  assert.is(c[20]?.name, 'bob-5500');
  const long = nameCandidates('y'.repeat(MAX_NAME_LENGTH));
  for (const x of long) assert.ok(codePointLength(x.name) <= MAX_NAME_LENGTH, x.name);
  assert.is(new Set(long.map((x) => x.skeleton)).size > 20, true);
});

test.run();
