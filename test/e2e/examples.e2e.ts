/**
 * The examples work as shipped: the npm-import example builds with rollup and
 * runs, and the script-tag example embeds the widget from the chat server
 * into a page on another origin under a strict CSP.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { rollup } from 'rollup';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createServer } from '../../server/index.js';
import { launch } from './browser.js';
import { sourceVerifyPool } from '../helpers/verify-pool.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

/** A plain static host for the examples folder, standing in for "your site". */
function hostSite(chatOrigin: string): Promise<{ server: Server; origin: string }> {
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const path = join(EXAMPLES, url.pathname);
    let body: string;
    try {
      body = readFileSync(path, 'utf8').replaceAll('http://localhost:8080', chatOrigin);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'content-security-policy': `script-src 'self' ${chatOrigin}; connect-src 'self' ${chatOrigin} ${chatOrigin.replace('http', 'ws')}`,
    });
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('no address');
      resolve({ server, origin: `http://127.0.0.1:${address.port}` });
    }),
  );
}

async function chatWorks(page: Page, name: string): Promise<void> {
  await page.locator('tiny-chat .status.online').waitFor();
  assert.is(await page.locator('tiny-chat footer bdi').textContent(), name);
  await page.getByLabel('Message', { exact: true }).fill('hello from the example');
  await page.keyboard.press('Enter');
  await page.locator('tiny-chat li.message.own[data-verified="true"]', { hasText: 'hello from the example' }).waitFor();
}

test('the npm-import example builds, and the script-tag and npm examples chat from another origin', async () => {
  const bundle = await rollup((await import('../../examples/npm-import/rollup.config.mjs')).default);
  const { output } = await bundle.write({
    dir: join(EXAMPLES, 'npm-import/dist'),
    entryFileNames: 'main.js',
    format: 'es',
  });
  // The export code is a chunk of its own beside main.js, not part of it.
  assert.ok(output.some((o) => o.type === 'chunk' && !o.isEntry && o.code.includes('tiny-chat-transcript')));
  await bundle.close();
  assert.match(output[0].code, /customElements\.define\("tiny-chat"|customElements\.define\('tiny-chat'/);

  const storage = await createMemoryStorage();
  const app = await createServer({ storage, demo: true, logger: false, verifier: sourceVerifyPool() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const chatOrigin = `http://127.0.0.1:${address.port}`;
  // localhost and 127.0.0.1 are different origins: the site is not the chat server.
  const site = await hostSite(chatOrigin.replace('127.0.0.1', 'localhost'));
  const browser = await launch();
  const problems: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${site.origin}/script-tag.html`);
    await page.getByRole('button', { name: 'Create a room' }).click();
    await chatWorks(page, 'guest');
    assert.match(page.url(), new RegExp(`^${site.origin}/script-tag.html\\?room=[A-Za-z0-9_-]{22}$`));

    const npm = await browser.newPage();
    npm.on('pageerror', (e) => problems.push(e.message));
    await npm.goto(`${site.origin}/npm-import/index.html?room=${new URL(page.url()).searchParams.get('room')}`);
    // Another person (a new browser context, a new key) wishing the same name gets a variant.
    await chatWorks(npm, 'guest-2');
    assert.is(await npm.title(), 'Chat: guest-2');
    assert.equal(problems, []);
  } finally {
    await browser.close();
    site.server.close();
    await app.close();
    await storage.close();
  }
});

test.run();
