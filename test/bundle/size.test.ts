/** The script-tag bundle's size budget (built by `npm run build`, which `npm test` runs first). */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONFUSABLE_ROWS } from '../../protocol/confusables.js';

const BUDGET = 25 * 1024;
const bundle = (): string => readFileSync(new URL('../../dist/bundle/tiny-chat.min.js', import.meta.url), 'utf8');

test('size budget: the script-tag bundle is at most 25 KB gzipped', () => {
  const file = readFileSync(new URL('../../dist/bundle/tiny-chat.min.js', import.meta.url));
  const gz = gzipSync(file, { level: 9 });
  console.log(`  tiny-chat.min.js: ${file.length} B, ${gz.length} B gzipped`);
  assert.ok(gz.length <= BUDGET, `${gz.length} B gzipped is over the 25 KB budget`);
});

test('the confusables table (server-only, for name skeletons) stays out of the script-tag bundle', () => {
  // The first row of protocol/confusables.ts: present only if the widget pulls skeleton() in.
  assert.not.ok(bundle().includes(CONFUSABLE_ROWS[0]!), 'protocol/confusables.ts was bundled');
});

test('the export code is a chunk of its own, loaded on first use, not part of the script-tag bundle', () => {
  const chunk = readFileSync(new URL('../../dist/bundle/tiny-chat.export.min.js', import.meta.url), 'utf8');
  // The id of the JSON block the HTML copy embeds: only widget/export/html.ts has it.
  assert.ok(chunk.includes('tiny-chat-transcript'));
  assert.not.ok(bundle().includes('tiny-chat-transcript'), 'widget/export/ was bundled');
  // The chunk takes lit from the main script instead of carrying its own (widget/lazy.script.ts).
  assert.ok(chunk.includes('tinyChatChunks.lit'));
  assert.not.ok(chunk.includes('lit-html'), 'the chunk carries a copy of lit');
});

test('the proof-of-work solver is a chunk of its own, beside its worker, not part of the script-tag bundle', () => {
  const chunk = readFileSync(new URL('../../dist/bundle/tiny-chat.pow.min.js', import.meta.url), 'utf8');
  const worker = readFileSync(new URL('../../dist/bundle/tiny-chat-pow.js', import.meta.url), 'utf8');
  // The domain tag of the work bytes (protocol/pow.ts): only the solver needs it.
  for (const file of [chunk, worker]) assert.ok(file.includes('tiny-chat:pow:create:v1'));
  assert.not.ok(bundle().includes('tiny-chat:pow:'), 'the solver was bundled');
  assert.ok(chunk.includes('tinyChatChunks.lit'));
  assert.not.ok(chunk.includes('lit-html'), 'the chunk carries a copy of lit');
});

test('room creation is a chunk of its own, loaded on first use, not part of the script-tag bundle', () => {
  const chunk = readFileSync(new URL('../../dist/bundle/tiny-chat.create.min.js', import.meta.url), 'utf8');
  // The creation request's path: only widget/create/ posts to it.
  assert.ok(chunk.includes("'/rooms'") || chunk.includes('"/rooms"'));
  assert.not.ok(bundle().includes('/rooms'), 'widget/create/ was bundled');
  assert.not.ok(chunk.includes('lit-html'), 'the chunk carries a copy of lit');
});

test('the moderation code is a chunk of its own: the main script keeps only its hooks', () => {
  const chunk = readFileSync(new URL('../../dist/bundle/tiny-chat.moderation.min.js', import.meta.url), 'utf8');
  // Words and domain tags only widget/moderation/ and protocol/moderation-bytes.ts carry.
  for (const own of [
    'Message removed by {actor}',
    'tiny-chat:moderate:v1',
    'tiny-chat:chain:action:v1',
    'tiny-chat:owner:v1',
  ]) {
    assert.ok(chunk.includes(own), own);
    assert.not.ok(bundle().includes(own), `${own} is in the main script`);
  }
  assert.ok(chunk.includes('tinyChatChunks.lit'));
  assert.not.ok(chunk.includes('lit-html'), 'the chunk carries a copy of lit');
  // protocol/moderation.ts's schemas (typebox) stay out of both.
  assert.not.ok(chunk.includes('TypeBox') || chunk.includes('Kind'), 'the schema library was bundled');
});

test.run();
