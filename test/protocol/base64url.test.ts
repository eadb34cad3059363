import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBase64url, encodeBase64url } from '../../protocol/base64url.js';

test('base64url round-trips and refuses padding, other alphabets and non-canonical tails', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
    const text = encodeBase64url(bytes);
    assert.is(text, Buffer.from(bytes).toString('base64url'));
    assert.equal(decodeBase64url(text), bytes);
  }
  assert.is(decodeBase64url('AA=='), undefined);
  assert.is(decodeBase64url('A+/A'), undefined);
  assert.is(decodeBase64url('A'), undefined);
  assert.is(decodeBase64url('AB'), undefined); // 'B' leaves non-zero spare bits
  assert.equal(decodeBase64url('AA'), new Uint8Array([0]));
});

test.run();
