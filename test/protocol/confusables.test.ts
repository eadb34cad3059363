import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { CONFUSABLE_ROWS } from '../../protocol/confusables.js';
import { loadMapping, render, unicodeVersion } from '../../scripts/confusables.js';

test('the committed table is what scripts/confusables.ts makes from the packaged confusables.txt', async () => {
  const committed = readFileSync(new URL('../../protocol/confusables.ts', import.meta.url), 'utf8');
  assert.ok((await render(loadMapping(), unicodeVersion())) === committed, 'run `npm run confusables`');
});

test('every source of the data is in the table once, mapped to its prototype', () => {
  const mapping = loadMapping();
  const decode = (hex: string) => String.fromCodePoint(...hex.split(' ').map((h) => parseInt(h, 16)));
  const seen = new Map<string, string>();
  for (const row of CONFUSABLE_ROWS) {
    const [target, sources] = row.split(':') as [string, string];
    for (const source of sources.split(',')) {
      assert.not.ok(seen.has(decode(source)), `duplicate ${source}`);
      seen.set(decode(source), decode(target));
    }
  }
  assert.is(seen.size, Object.keys(mapping).length);
  for (const [source, prototype] of Object.entries(mapping)) assert.is(seen.get(source), prototype, source);
});

test.run();
