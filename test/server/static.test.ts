import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveOptions } from '../../server/options/resolve.js';
import { createMemoryStorage } from '../../adapters/memory.js';
import { startServer } from '../helpers/server.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

test('the script bundle: short cache and ETag unversioned, a year and immutable versioned', async () => {
  const srv = await startServer({ demo: true });
  try {
    const res = await fetch(`${srv.url}/tiny-chat.js`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.is(res.headers.get('cache-control'), 'public, max-age=300');
    const etag = res.headers.get('etag');
    assert.ok(etag);
    const body = await res.text();
    assert.match(body, /customElements/);
    const again = await fetch(`${srv.url}/tiny-chat.js`, { headers: { 'if-none-match': etag } });
    assert.is(again.status, 304);
    const versioned = await fetch(`${srv.url}/tiny-chat.${pkg.version}.js`);
    assert.is(versioned.status, 200);
    assert.is(versioned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.is(await versioned.text(), body);
    assert.is((await fetch(`${srv.url}/tiny-chat.0.0.0-nope.js`)).status, 404);
  } finally {
    await srv.stop();
  }
});

test('the demo page: external scripts only, under a script-src self CSP', async () => {
  const srv = await startServer({ demo: true });
  try {
    const res = await fetch(`${srv.url}/`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    const html = await res.text();
    assert.match(html, /<script src="\/tiny-chat.js" defer><\/script>/);
    assert.not.match(html, /<script>|<script [^>]*>[^<]/);
    assert.match(html, /<tiny-chat><\/tiny-chat>/);
    assert.is((await fetch(`${srv.url}/demo.css`)).status, 200);
  } finally {
    await srv.stop();
  }
});

test('demo is off unless asked for, and must be a boolean', async () => {
  const srv = await startServer();
  try {
    assert.is((await fetch(`${srv.url}/tiny-chat.js`)).status, 404);
    assert.is((await fetch(`${srv.url}/`)).status, 404);
  } finally {
    await srv.stop();
  }
  const storage = await createMemoryStorage();
  assert.throws(
    () => resolveOptions({ storage, demo: 'yes' as unknown as boolean }),
    (e: Error) => e instanceof TypeError && e.message === 'tiny-chat: option "demo" must be a boolean, got "yes"',
  );
  await storage.close();
});

test.run();
