import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBase64url, encodeBase64url } from '../../protocol/base64url.js';
import { decodeBase64urlStrict } from '../../server/verify/base64url.js';

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
  for (const bad of ['AA==', 'A+/A', 'A', 'AB', 'A A', 'AA\n']) assert.is(decodeBase64urlStrict(bad), undefined, bad);
  assert.equal([...decodeBase64urlStrict('AA')!], [0]);
});

test('base64url agrees with Node on any bytes, and decodes exactly the canonical spellings', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const text = encodeBase64url(bytes);
      assert.is(text, Buffer.from(bytes).toString('base64url'));
      assert.equal(decodeBase64url(text), bytes);
    }),
  );
  const chars = fc.constantFrom(
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=. \u00e9'.split(''),
  );
  fc.assert(
    fc.property(fc.array(chars, { maxLength: 30 }), (list) => {
      const text = list.join('');
      const canonical = /^[A-Za-z0-9_-]*$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;
      const decoded = decodeBase64url(text);
      assert.is(decoded !== undefined, canonical, text);
      if (decoded) assert.equal([...decoded], [...Buffer.from(text, 'base64url')]);
      // The server's native decoder (the verify threads') takes exactly the same spellings.
      const native = decodeBase64urlStrict(text);
      assert.is(native !== undefined, canonical, text);
      if (native) assert.equal([...native], [...decoded!]);
    }),
  );
});

test.run();
