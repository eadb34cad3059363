import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_NAME_LENGTH, normalizeName, skeleton } from '../../protocol/names.js';
import { nameCandidates } from '../../server/names.js';
import { codePointLength } from '../../protocol/text.js';

test('normalizes with NFKC and folds white space', () => {
  assert.is(normalizeName('ＡＢＣ'), 'ABC');
  assert.is(normalizeName('  a \u00a0  b  '), 'a b');
  assert.is(normalizeName('e\u0301'), 'é');
  assert.is(normalizeName('👋 wave'), '👋 wave');
});

test('refuses control, format, bidi, zero-width, invisible and private-use characters', () => {
  const bad = [
    'a\u0000',
    'a\n',
    'a\t',
    'a\u202eb',
    'a\u2067b',
    'a\u200bb',
    'a\u200db',
    'a\u200eb',
    'a\u061cb',
    'a\ufeff',
    'a\u00adb',
    'a\ue000',
    'a\u2028b',
    '\u3164',
    'a\u2800',
    'z\u0301\u0302\u0303\u0304',
  ];
  for (const name of bad) assert.is(normalizeName(name), undefined, JSON.stringify(name));
});

test('refuses empty and over-long names, counting code points', () => {
  assert.is(normalizeName(''), undefined);
  assert.is(normalizeName('   '), undefined);
  assert.is(normalizeName('x'.repeat(MAX_NAME_LENGTH)), 'x'.repeat(MAX_NAME_LENGTH));
  assert.is(normalizeName('x'.repeat(MAX_NAME_LENGTH + 1)), undefined);
  assert.is(normalizeName('😀'.repeat(MAX_NAME_LENGTH)), '😀'.repeat(MAX_NAME_LENGTH));
});

test('look-alikes share a skeleton', () => {
  const same = ['alice', 'Alice', 'ALICE', 'аlice', 'aIice', 'a1ice', 'álice', 'ALİCE'.normalize('NFKC')];
  for (const n of same) assert.is(skeleton(normalizeName(n)!), skeleton('alice'), n);
  assert.is(skeleton('modern'), skeleton('rnodern'));
  assert.is(skeleton('bob'), skeleton('b0b'));
  assert.is(skeleton('Paypal'), skeleton('Рауpal'));
  assert.is.not(skeleton('alice'), skeleton('alicia'));
  assert.is.not(skeleton('bob'), skeleton('rob'));
});

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
