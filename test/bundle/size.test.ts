/** The script-tag bundle's size budget (built by `npm run build`, which `npm test` runs first). */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const BUDGET = 25 * 1024;

test('size budget: the script-tag bundle is at most 25 KB gzipped', () => {
  const file = readFileSync(new URL('../../dist/bundle/tiny-chat.min.js', import.meta.url));
  const gz = gzipSync(file, { level: 9 });
  console.log(`  tiny-chat.min.js: ${file.length} B, ${gz.length} B gzipped`);
  assert.ok(gz.length <= BUDGET, `${gz.length} B gzipped is over the 25 KB budget`);
});

test.run();
