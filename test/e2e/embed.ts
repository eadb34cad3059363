/**
 * Shared setup for the e2e tests of the widget's look: a real tiny-chat server
 * (unthrottled, its clock movable to write "yesterday"), the host site on
 * another origin under a strict CSP (host-page.ts), headless Chromium, and
 * Bob, a second person over the protocol.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { suite, type Test } from 'uvu';
import { createMemoryStorage } from '../../adapters/memory.js';
import type { Storage } from '../../adapters/types.js';
import { createServer } from '../../server/index.js';
import { TestClient } from '../helpers/client.js';
import { createRoom, UNTHROTTLED } from '../helpers/server.js';
import { launch } from './browser.js';
import { startHostSite, type HostSite } from './host-page.js';

export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const DAY = 86_400_000;

export interface Ctx {
  storage: Storage;
  app: Awaited<ReturnType<typeof createServer>>;
  chat: string;
  site: HostSite;
  browser: Browser;
  clock: { offset: number; now(): number };
  contexts: BrowserContext[];
  problems: string[];
  bobs: TestClient[];
}

export function embedSuite(name: string): Test<Ctx> {
  const layout = suite<Ctx>(name, {} as Ctx);
  layout.before(async (ctx) => {
    ctx.clock = {
      offset: 0,
      now() {
        return Date.now() + this.offset;
      },
    };
    ctx.storage = await createMemoryStorage();
    ctx.app = await createServer({ ...UNTHROTTLED, storage: ctx.storage, clock: ctx.clock, demo: true, logger: false });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const address = ctx.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    ctx.chat = `http://127.0.0.1:${address.port}`;
    ctx.site = await startHostSite(ctx.chat);
    ctx.browser = await launch();
    ctx.contexts = [];
    ctx.problems = [];
    ctx.bobs = [];
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  layout.after(async (ctx) => {
    for (const c of ctx.contexts) await c.close();
    for (const b of ctx.bobs) b.ws.close();
    await ctx.browser.close();
    await ctx.site.close();
    await ctx.app.close();
    await ctx.storage.close();
  });
  return layout;
}

/** A page on `url` in a fresh browser context (a separate browser profile), once the widget is online. */
export async function open(
  ctx: Ctx,
  url: string,
  width: number,
  colorScheme: 'light' | 'dark' = 'light',
  init?: string,
): Promise<Page> {
  const page = await visit(ctx, url, width, colorScheme, init);
  await page.locator('tiny-chat .status.online').waitFor();
  return page;
}

/** A page on `url` in a fresh browser context, as soon as it has loaded (the widget may still ask for a name). */
export async function visit(
  ctx: Ctx,
  url: string,
  width: number,
  colorScheme: 'light' | 'dark' = 'light',
  /** Runs in the page before any of its own script (an init script's source). */
  init?: string,
): Promise<Page> {
  const context = await ctx.browser.newContext({ colorScheme, viewport: { width, height: 720 } });
  ctx.contexts.push(context);
  // tsx names the helpers inside the functions passed to evaluate() with its __name(); give the page one.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  if (init) await context.addInitScript({ content: init });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') ctx.problems.push(m.text());
  });
  page.on('pageerror', (e) => ctx.problems.push(e.message));
  await page.goto(url);
  return page;
}

export async function close(page: Page): Promise<void> {
  await page.context().close();
}

/** A second person, over the protocol: Bob. */
export async function bob(ctx: Ctx, room: string, name = 'bob'): Promise<TestClient> {
  const client = await TestClient.connect(ctx.chat);
  ctx.bobs.push(client);
  await client.join(room, name);
  return client;
}

export async function verifiedCount(page: Page, n: number): Promise<void> {
  await page
    .waitForFunction((count) => {
      const rows = [...document.querySelector('tiny-chat')!.shadowRoot!.querySelectorAll('li.message[data-seq]')];
      return rows.length === count && rows.every((r) => (r as HTMLElement).dataset['verified'] === 'true');
    }, n)
    .catch(async (err: Error) => {
      const rows = await page
        .locator('tiny-chat li.message')
        .evaluateAll((lis) =>
          lis.map((li) => [
            li.getAttribute('data-seq'),
            li.getAttribute('data-verified'),
            li.textContent?.trim().slice(0, 40),
          ]),
        );
      throw new Error(`${err.message}: wanted ${n} verified, shown ${JSON.stringify(rows)}`);
    });
}

/** A room with yesterday's and today's messages: long words, a long link, runs of one sender. */
export async function busyRoom(ctx: Ctx): Promise<{ room: string; count: number }> {
  const room = await createRoom(ctx.chat);
  const b = await bob(ctx, room);
  ctx.clock.offset = -DAY;
  await b.say('Yesterday: did the release go out?', { ts: Date.now() - DAY });
  ctx.clock.offset = 0;
  await b.say('Morning! Internationalisation considerations for the accessibility checklist are in.');
  await b.say('https://example.com/a/very/long/path/that/goes/on/and/on/without/any/spaces/at/all?x=1');
  await b.say('Three messages in a row from one person form one group.');
  return { room, count: 4 };
}
