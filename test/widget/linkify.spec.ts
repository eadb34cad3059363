/// <reference types="mocha" />
/** linkify: which parts of a message text become links. */
import { linkify } from '../../widget/linkify.js';
import { equal } from './helpers.js';

describe('linkify', () => {
  it('only absolute http(s) URLs become links', () => {
    equal(linkify('see https://a.example/x?y=1. and http://b.example'), [
      { kind: 'text', text: 'see ' },
      { kind: 'link', href: 'https://a.example/x?y=1', text: 'https://a.example/x?y=1' },
      { kind: 'text', text: '. and ' },
      { kind: 'link', href: 'http://b.example/', text: 'http://b.example' },
    ]);
    for (const hostile of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.example', '//x.example']) {
      equal(linkify(hostile), [{ kind: 'text', text: hostile }]);
    }
  });
});
