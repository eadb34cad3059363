import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_NAME_LENGTH, normalizeName, skeleton } from '../../protocol/names.js';

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

test('refuses default-ignorable code points, which would be kept invisibly (variation selectors, tags, fillers)', () => {
  const bad = [
    'a\ufe0f', // VS16, emoji presentation
    '\u2764\ufe0f',
    'a\ufe00b', // VS1
    'a\u{e0100}b', // VS17
    'a\u180bb', // Mongolian free variation selector
    'a\u034fb', // combining grapheme joiner
    'a\u2060b', // word joiner
    'a\u{e0041}', // tag letter A
    'a\u115fb',
    'a\u{1d173}b', // musical symbol begin beam
  ];
  for (const name of bad) assert.is(normalizeName(name), undefined, JSON.stringify(name));
  // The same pictograph without a selector is a name like any other.
  assert.is(normalizeName('\u2764 amy'), '\u2764 amy');
});

test('TAB and other controls are refused, not folded as white space; space characters are folded', () => {
  assert.is(normalizeName('a\tb'), undefined);
  assert.is(normalizeName('a\u000bb'), undefined);
  assert.is(normalizeName('a\u2003\u3000b'), 'a b');
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

test('look-alikes from Armenian and Cherokee share a skeleton with Latin (UTS #39 data)', () => {
  const pairs = [
    ['հսցօ', 'hugo'], // Armenian ho, vo, co, oh
    ['ցօցօ', 'gogo'],
    ['ᎻᎬᏞᏞᎾ', 'hello'], // Cherokee capitals
    ['ᏴᎬᎢᎪ', 'beta'],
    ['ᏚᎪᎷ', 'Sam'],
  ];
  for (const [fake, real] of pairs) {
    assert.is(normalizeName(fake!), fake, `${fake} is a valid name`);
    assert.is(skeleton(fake!), skeleton(real!), `${fake} ~ ${real}`);
  }
  assert.is.not(skeleton('հսցօ'), skeleton('hago'));
});

test('mathematical alphanumerics and fullwidth forms share a skeleton with Latin, with or without NFKC', () => {
  const fakes = ['𝐚𝐥𝐢𝐜𝐞', '𝖆𝖑𝖎𝖈𝖊', '𝒶𝓁𝒾𝒸ℯ', '𝙰𝙻𝙸𝙲𝙴', 'ａｌｉｃｅ', 'ＡＬＩＣＥ'];
  for (const fake of fakes) {
    // The table maps them itself, so the skeleton does not lean on the NFKC step of normalizeName.
    assert.is(skeleton(fake), skeleton('alice'), fake);
    assert.is(skeleton(normalizeName(fake)!), skeleton('alice'), `${fake} normalized`);
  }
});

test.run();
