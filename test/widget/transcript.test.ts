/**
 * The export chunk's readable HTML copy of a transcript (widget/export/html.ts,
 * the format of protocol/transcript.ts): hostile text only ever as escaped
 * text, an entry of another kind shown by its kind, and JSON that no text can
 * close early and that parses back to the transcript; the file name is the
 * room's and its last seq.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TRANSCRIPT_FORMAT, type MessageEntry, type Transcript } from '../../protocol/transcript.js';
import { embeddableJson, escapeHtml, transcriptHtml } from '../../widget/export/html.js';
import { EXPORT_STRINGS } from '../../widget/export/strings.js';
import { transcriptFileName } from '../../widget/export/transcript.js';
import { DEFAULT_STRINGS } from '../../widget/strings.js';

const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)> &amp; "q" \'s\' <!-- -->';
const LINK = 'A'.repeat(43);

const message = (seq: number, text: string): MessageEntry => ({
  kind: 'message',
  seq,
  id: `id-${seq}`,
  name: seq % 2 ? 'ann' : '<b>ben</b>',
  ts: 1_700_000_000_000 + seq,
  text,
  sig: `sig${seq}`,
  key: { alg: 'Ed25519', pub: `pub${seq % 2}` },
  at: 1_700_000_000_500 + seq,
  chain: LINK,
});

const t: Transcript = {
  format: TRANSCRIPT_FORMAT,
  room: { roomId: 'AAAAAAAAAAAAAAAAAAAAAA', createdAt: 1_699_999_999_000 },
  genesis: LINK,
  firstSeq: 1,
  lastSeq: 3,
  prev: LINK,
  entries: [message(1, 'first'), message(2, HOSTILE), { kind: '<i>later</i>', seq: 3, chain: LINK }],
  head: {
    roomId: 'AAAAAAAAAAAAAAAAAAAAAA',
    seq: 3,
    chain: LINK,
    time: 1,
    key: { alg: 'Ed25519', pub: 'srv' },
    sig: 's',
  },
  exportedAt: 1_700_000_001_000,
};

test('both copies are named by the room and its last seq', () => {
  assert.is(transcriptFileName(t, 'json'), 'tiny-chat-AAAAAAAAAAAAAAAAAAAAAA-3.json');
  assert.is(transcriptFileName(t, 'html'), 'tiny-chat-AAAAAAAAAAAAAAAAAAAAAA-3.html');
});

test('the HTML copy escapes every text and embeds JSON that parses back to the transcript', () => {
  const page = transcriptHtml(t, { ...DEFAULT_STRINGS, ...EXPORT_STRINGS });
  assert.not.ok(page.includes(HOSTILE));
  assert.not.ok(page.includes('<b>ben</b>'));
  assert.not.ok(page.includes('<i>later</i>'));
  assert.ok(page.includes('#3 · &lt;i&gt;later&lt;/i&gt;'), 'an entry of another kind, by its kind');
  assert.ok(page.includes(escapeHtml(HOSTILE)));
  // One script element, the JSON block, and the page's own CSP forbids running any.
  assert.is(page.match(/<script/gi)!.length, 1);
  assert.is(page.match(/<\/script/gi)!.length, 1);
  assert.ok(page.includes(`content="default-src 'none'; style-src 'unsafe-inline'"`));
  const json = /<script type="application\/json" id="tiny-chat-transcript">([^]*?)<\/script>/.exec(page)![1]!;
  assert.not.ok(json.includes('<'));
  assert.equal(JSON.parse(json), t);
});

test('escapeHtml and embeddableJson leave nothing that HTML could read as markup', () => {
  assert.is(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  assert.is(embeddableJson('</script><!--'), '"\\u003c/script>\\u003c!--"');
  assert.equal(JSON.parse(embeddableJson({ t: '</script>' })), { t: '</script>' });
});

test.run();
