/**
 * End to end: the real server (built widget bundle, demo page with its strict
 * CSP) and two real browser contexts in headless chromium. One goes offline,
 * writes, comes back; both must end with the same history, every message
 * verified. Screenshots of the demo land in test-artifacts/ for a person to
 * look at.
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createServer } from '../../server/index.js';
import { launch } from './browser.js';
import { sourceVerifyPool } from '../helpers/verify-pool.js';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

interface Row {
  seq: string;
  name: string;
  text: string;
  verified: string;
}

function history(page: Page): Promise<Row[]> {
  return page.locator('tiny-chat').evaluate((el) =>
    [...el.shadowRoot!.querySelectorAll<HTMLElement>('li.message[data-seq]')].map((li) => ({
      seq: li.dataset['seq']!,
      name: li.querySelector('.name')!.textContent,
      text: li.querySelector('.text')!.textContent,
      verified: li.dataset['verified']!,
    })),
  );
}

async function waitForMessages(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const root = document.querySelector('tiny-chat')?.shadowRoot;
      const rows = root ? [...root.querySelectorAll<HTMLElement>('li.message[data-seq]')] : [];
      return rows.length === n && rows.every((r) => r.dataset['verified'] === 'true');
    },
    count,
    { timeout: 20_000 },
  );
}

async function join(page: Page, name: string): Promise<void> {
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('tiny-chat .status.online').waitFor();
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.keyboard.press('Enter');
}

test('two people chat; one goes offline, writes, comes back; both end with the same verified history', async () => {
  const storage = await createMemoryStorage();
  const app = await createServer({ storage, demo: true, logger: false, verifier: sourceVerifyPool() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}/`;
  const browser = await launch();
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const open = async (): Promise<Page> => {
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1000, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return page;
  };
  try {
    const alice = await open();
    await alice.goto(url);
    await alice.getByRole('button', { name: 'Create a room' }).click();
    await join(alice, 'alice');
    const link = (await alice.locator('tiny-chat #share').getAttribute('href'))!;
    assert.match(link, /\?room=[A-Za-z0-9_-]{22}$/);

    const bob = await open();
    await bob.goto(link);
    await join(bob, 'bob');
    await alice.locator('tiny-chat .members li', { hasText: 'bob' }).waitFor();

    await say(alice, 'hello bob, see https://example.com/docs.');
    await waitForMessages(bob, 1);
    await say(bob, '<img src=x onerror="window.pwned=1"> hi alice');
    await waitForMessages(alice, 2);

    await bob.context().setOffline(true);
    await bob.locator('tiny-chat .status.offline').waitFor();
    await say(bob, 'written while offline');
    await bob.locator('tiny-chat li.pending').waitFor();
    await say(alice, 'are you there?');
    await waitForMessages(alice, 3);
    await bob.context().setOffline(false);

    await waitForMessages(alice, 4);
    await waitForMessages(bob, 4);
    const a = await history(alice);
    const b = await history(bob);
    assert.equal(a, b);
    assert.equal(
      a.map((r) => r.text),
      [
        'hello bob, see https://example.com/docs.',
        '<img src=x onerror="window.pwned=1"> hi alice',
        'are you there?',
        'written while offline',
      ],
    );
    assert.is(await bob.locator('tiny-chat li.pending').count(), 0);
    // The offline message was stored once, after the one sent meanwhile: no gap, no duplicate.
    assert.equal(
      a.map((r) => r.seq),
      ['1', '2', '3', '4'],
    );
    assert.is(await alice.evaluate(() => (window as { pwned?: number }).pwned), undefined);
    assert.is(await alice.locator('tiny-chat a[href="https://example.com/docs"]').count(), 1);

    // Written offline, then the tab is closed: the outbox in IndexedDB brings it back in a new tab, stored once.
    await bob.context().setOffline(true);
    await bob.locator('tiny-chat .status.offline').waitFor();
    await say(bob, 'written, then the tab closed');
    const room = new URL(link).searchParams.get('room')!;
    await bob.waitForFunction(async (key) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('tiny-chat');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
      });
      const value = await new Promise<unknown>((resolve, reject) => {
        const req = db.transaction('records').objectStore('records').get(key);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
      });
      db.close();
      return Array.isArray(value) && value.length === 1;
    }, `outbox:default:${room}`);
    const bobContext = bob.context();
    await bob.close();
    await bobContext.setOffline(false);
    const bobAgain = await bobContext.newPage();
    await bobAgain.goto(link);
    await waitForMessages(alice, 5);
    await waitForMessages(bobAgain, 5);
    assert.equal(await history(bobAgain), await history(alice));
    assert.equal((await history(alice)).map((r) => [r.seq, r.text]).slice(3), [
      ['4', 'written while offline'],
      ['5', 'written, then the tab closed'],
    ]);
    await bobAgain.locator('tiny-chat .status.online').waitFor();
    assert.is(await bobAgain.locator('tiny-chat li.pending').count(), 0);

    mkdirSync(ARTIFACTS, { recursive: true });
    await alice.screenshot({ path: `${ARTIFACTS}demo-light.png` });
    await alice.emulateMedia({ colorScheme: 'dark' });
    await alice.screenshot({ path: `${ARTIFACTS}demo-dark.png` });
    const bg = await alice
      .locator('tiny-chat')
      .evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('.base')!).backgroundColor);
    assert.is(bg, 'rgb(22, 25, 29)');

    await alice.reload();
    await alice.locator('tiny-chat .status.online').waitFor();
    assert.is(await alice.locator('tiny-chat footer bdi').textContent(), 'alice');
    await waitForMessages(alice, 5);
    assert.equal(problems, []);
  } finally {
    for (const c of contexts) await c.close();
    await browser.close();
    await app.close();
    await storage.close();
  }
});

test.run();
