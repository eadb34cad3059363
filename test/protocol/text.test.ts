import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codePointLength, isWellFormed } from '../../protocol/text.js';

test('counts code points, not UTF-16 units', () => {
  assert.is(codePointLength(''), 0);
  assert.is(codePointLength('abc'), 3);
  assert.is(codePointLength('👋'), 1);
  assert.is(codePointLength('👋🏽'), 2); // emoji + skin-tone modifier
  assert.is(codePointLength('e\u0301'), 2); // e + combining acute
  assert.is(codePointLength('\u00e9'), 1); // precomposed é
  assert.is(codePointLength('\ud800'), 1); // a lone surrogate still counts once
});

test('well-formed means no lone surrogates', () => {
  assert.ok(isWellFormed('plain 👋 text'));
  assert.not.ok(isWellFormed('\ud800'));
  assert.not.ok(isWellFormed('a\udc00b'));
  assert.not.ok(isWellFormed('end\ud83d'));
  assert.not.ok(isWellFormed('\udc00\ud800'));
});

test.run();
