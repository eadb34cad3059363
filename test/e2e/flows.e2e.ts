/**
 * End to end, keyboard only, against the built bundle on the demo page (strict
 * CSP): create a room, name yourself, send, get a message refused and retry
 * it; then lose the network: the widget says "You are offline" and does not
 * dial until the browser is back online. Screenshots of the new states
 * (refused name, offline, dead end) land in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createServer } from '../../server/index.js';
import { launch } from './browser.js';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** The id, part or text of whatever has keyboard focus inside the widget. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.querySelector('tiny-chat')?.shadowRoot?.activeElement;
    return el ? el.id || el.getAttribute('part') || (el.textContent ?? '').trim() : '';
  });
}

/** Presses Tab (or Shift+Tab) until `want` has focus; fails if it never does. */
async function tabTo(page: Page, want: string, back = false): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if ((await focused(page)) === want) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.unreachable(`never reached ${want} by keyboard`);
}

const errorText = (page: Page): Promise<string[]> => page.locator('tiny-chat [part=error]').allTextContents();

test('keyboard only: create, name, send, retry; offline says so and does not dial until online', async () => {
  const storage = await createMemoryStorage();
  let clockOffsetMs = 0;
  const app = await createServer({
    storage,
    demo: true,
    logger: false,
    clock: { now: () => Date.now() + clockOffsetMs },
    // A short skew window, so a small clock jump refuses a message without making the room idle.
    clockSkewMs: 60_000,
    idleTimeoutMs: 3600_000,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}/`;
  const browser = await launch();
  const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1000, height: 800 } });
  const problems: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    // Counts every dial the page makes, synchronously in the page, so "none" is exact.
    await page.addInitScript(() => {
      const Native = WebSocket;
      const w = window as unknown as { __dials: number; WebSocket: typeof WebSocket };
      w.__dials = 0;
      w.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          w.__dials++;
        }
      };
    });
    await page.goto(url);
    mkdirSync(ARTIFACTS, { recursive: true });

    await tabTo(page, 'Create a room');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('tiny-chat')?.shadowRoot?.activeElement?.id === 'name');

    await page.keyboard.type('bad\u202Ename');
    await page.keyboard.press('Enter');
    await page.locator('tiny-chat #name-error').waitFor();
    assert.is(await focused(page), 'name', 'focus stays in the name field after a refusal');
    await page.screenshot({ path: `${ARTIFACTS}flows-refused-name.png` });

    await page.keyboard.press('Control+A');
    await page.keyboard.type('kim');
    await page.keyboard.press('Enter');
    await page.locator('tiny-chat .status.online').waitFor();
    await page.waitForFunction(() => document.querySelector('tiny-chat')?.shadowRoot?.activeElement?.id === 'input');
    await page.keyboard.type('sent by keyboard');
    await page.keyboard.press('Enter');
    await page.locator('tiny-chat li.message[data-seq="1"][data-verified="true"]').waitFor();

    // The server's clock jumps past the skew window: the next message is refused and shown as not sent.
    clockOffsetMs = 2 * 60_000;
    await page.keyboard.type('refused for the clock');
    await page.keyboard.press('Enter');
    await page.locator('tiny-chat [part=retry-button]').waitFor();
    assert.match((await errorText(page)).join(), /Your device clock is wrong/);
    clockOffsetMs = 0;
    await tabTo(page, 'retry-button', true);
    await page.keyboard.press('Enter');
    await page.locator('tiny-chat li.message[data-seq="2"][data-verified="true"]').waitFor();
    await page.locator('tiny-chat [part=error]').waitFor({ state: 'detached' });
    assert.is(await focused(page), 'input', 'focus back in the message field after Retry');

    // Offline: plain words, and no dial at all until the browser says it is online, however long it waits.
    await page.clock.install();
    const dialsBefore = await page.evaluate(() => (window as unknown as { __dials: number }).__dials);
    await context.setOffline(true);
    await page.locator('tiny-chat [part=error]', { hasText: 'You are offline.' }).waitFor();
    assert.is(await page.locator('tiny-chat [part=status]').textContent(), 'Offline');
    await page.screenshot({ path: `${ARTIFACTS}flows-offline.png` });
    await page.clock.runFor(5 * 60_000);
    assert.is(await page.evaluate(() => (window as unknown as { __dials: number }).__dials), dialsBefore);
    await context.setOffline(false);
    await page.locator('tiny-chat .status.online').waitFor();
    assert.is(await page.evaluate(() => (window as unknown as { __dials: number }).__dials), dialsBefore + 1);
    assert.equal(await errorText(page), []);

    // A link to a room that does not exist: plain words and one way forward, by keyboard too.
    await page.clock.resume();
    await page.goto(`${url}?room=AAAAAAAAAAAAAAAAAAAAAA`);
    await page.locator('tiny-chat [part=dead-end]').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}flows-dead-end.png` });
    await tabTo(page, 'Start a new room');
    await page.keyboard.press('Enter');
    await page.locator('tiny-chat .status.online').waitFor();
    assert.equal(problems, []);
  } finally {
    await context.close();
    await browser.close();
    await app.close();
    await storage.close();
  }
});

test.run();
