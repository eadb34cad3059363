/**
 * The export chunk's transcript and its HTML copy (widget/export/): every
 * field the signatures and the chain cover, in seq order; and in the HTML,
 * hostile text only ever as escaped text, and JSON that no text can close
 * early and that parses back to the transcript.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChatMessage } from '../../protocol/frames.js';
import { embeddableJson, escapeHtml, transcriptHtml } from '../../widget/export/html.js';
import { EXPORT_STRINGS } from '../../widget/export/strings.js';
import { transcript, transcriptFileName } from '../../widget/export/transcript.js';
import { DEFAULT_STRINGS } from '../../widget/strings.js';

const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)> &amp; "q" \'s\' <!-- -->';

const message = (seq: number, text: string): ChatMessage => ({
  seq,
  id: `id-${seq}`,
  name: seq % 2 ? 'ann' : '<b>ben</b>',
  ts: 1_700_000_000_000 + seq,
  text,
  sig: `sig-${seq}`,
  key: { alg: 'Ed25519', pub: `pub-${seq % 2}` },
  at: 1_700_000_000_500 + seq,
  chain: `chain-${seq}`,
});

const t = transcript({
  roomId: 'AAAAAAAAAAAAAAAAAAAAAA',
  createdAt: 1_699_999_999_000,
  messages: [message(3, 'third'), message(1, 'first'), message(2, HOSTILE)],
  now: 1_700_000_001_000,
});

test('a transcript holds every signed field of every message, in seq order, and names its file by the last seq', () => {
  assert.equal(
    t.messages.map((m) => m.seq),
    [1, 2, 3],
  );
  assert.equal(t.messages[1], {
    seq: 2,
    name: '<b>ben</b>',
    alg: 'Ed25519',
    pub: 'pub-0',
    id: 'id-2',
    ts: 1_700_000_000_002,
    text: HOSTILE,
    sig: 'sig-2',
    chain: 'chain-2',
  });
  assert.equal(t.room, { id: 'AAAAAAAAAAAAAAAAAAAAAA', createdAt: 1_699_999_999_000 });
  assert.is(transcriptFileName(t, 'json'), 'tiny-chat-AAAAAAAAAAAAAAAAAAAAAA-3.json');
});

test('the HTML copy escapes every text and embeds JSON that parses back to the transcript', () => {
  const page = transcriptHtml(t, { ...DEFAULT_STRINGS, ...EXPORT_STRINGS });
  assert.not.ok(page.includes(HOSTILE));
  assert.not.ok(page.includes('<b>ben</b>'));
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
