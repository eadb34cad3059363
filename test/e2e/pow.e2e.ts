/**
 * The widget pays a server's proof of work (docs/protocol.md, proof of work;
 * widget/pow/): real servers run with `proofOfWork`, the built script-tag
 * widget in headless Chromium. Served from the chat server's own origin (the
 * demo page) it solves in a Web Worker; embedded on another origin's page
 * under a strict CSP it cannot start one and solves on the page in slices,
 * and the page stays responsive. Either way a room is created and a new key
 * joins, and the frames show the work was sent and accepted. On a server
 * whose work takes too long, the "Checking your browser…" status can be
 * cancelled and tried again, and axe finds no violation in it.
 * Needs `npm run build`.
 */
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import type { Storage } from '../../adapters/types.js';
import { newRoomId } from '../../server/http/rooms.js';
import { createServer } from '../../server/index.js';
import { restorableStorage, type RestorableStorage } from '../helpers/restorable-storage.js';
import { UNTHROTTLED } from '../helpers/server.js';
import { launch } from './browser.js';
import { startHostSite, type HostSite } from './host-page.js';

/** Fast enough for tests (about a thousand hashes). */
const EASY = 10;
/** About 2^30 hashes: never done within a test, so the status stays up. */
const HARD = 30;
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Chat {
  storage: Storage;
  app: Awaited<ReturnType<typeof createServer>>;
  url: string;
  site: HostSite;
}

async function chat(proofOfWork: number, storage: Storage): Promise<Chat> {
  const app = await createServer({ ...UNTHROTTLED, storage, proofOfWork, demo: true, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return { storage, app, url, site: await startHostSite(url) };
}

/** The easy server's storage, which a test puts back to before a join, as a restored backup would. */
let restorable: RestorableStorage;
let easy: Chat;
let hard: Chat;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

test.before(async () => {
  restorable = restorableStorage();
  [easy, hard] = await Promise.all([chat(EASY, restorable.storage), chat(HARD, await createMemoryStorage())]);
  browser = await launch();
});

test.after(async () => {
  for (const c of contexts) await c.close();
  await browser.close();
  for (const c of [easy, hard]) {
    await c.site.close();
    await c.app.close();
    await c.storage.close();
  }
});

/** What one page did: workers started, join frames sent, welcomes received, POST /rooms bodies. */
interface Seen {
  workers: number;
  joins: { pow?: string; key: { pub: string } }[];
  welcomes: number;
  creations: (string | null)[];
}

async function visit(url: string, options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; seen: Seen }> {
  const context = await browser.newContext({ viewport: { width: 480, height: 720 }, ...options });
  contexts.push(context);
  // tsx names the helpers inside the functions passed to evaluate() with its __name(); give the page one.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  const seen: Seen = { workers: 0, joins: [], welcomes: 0, creations: [] };
  page.on('worker', () => seen.workers++);
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; pow?: string; key: { pub: string } };
      if (frame.type === 'join') seen.joins.push(frame);
    });
    ws.on('framereceived', ({ payload }) => {
      if ((JSON.parse(String(payload)) as { type: string }).type === 'welcome') seen.welcomes++;
    });
  });
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/rooms') seen.creations.push(r.postData());
  });
  page.on('console', (m) => {
    // The browser logs every 401, and asking for work is one (POST /rooms without it).
    if (m.type() === 'error' && !m.text().includes('status of 401')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, seen };
}

const online = (page: Page): Promise<void> => page.locator('tiny-chat .status.online').waitFor();
const roomOf = (page: Page): Promise<string | null> => page.locator('tiny-chat').getAttribute('room');

/** What a POST /rooms body carried of work: none, or the challenge and solution (each also claims the room's owner). */
function workOf(body: string | null): { challenge: string; solution: string } | undefined {
  const parsed = JSON.parse(body ?? '{}') as { pow?: { challenge: string; solution: string }; owner?: unknown };
  assert.ok(parsed.owner, 'the creation claims an owner');
  return parsed.pow;
}

/** The creation went twice: refused without work, then with the challenge and a solution, for that room id. */
function assertCreationWorked(seen: Seen, roomId: string): void {
  assert.is(seen.creations.length, 2, JSON.stringify(seen.creations));
  assert.is(workOf(seen.creations[0]!), undefined);
  const pow = workOf(seen.creations[1]!)!;
  assert.ok(pow.challenge.startsWith(`${roomId}.`), pow.challenge);
  assert.match(pow.solution, /^[0-9]{1,16}$/);
}

/** The one join of a new key carried work, and the server, which refuses a new key's join without it, welcomed it. */
function assertJoinWorked(seen: Seen): void {
  assert.is(seen.joins.length, 1);
  assert.match(seen.joins[0]!.pow ?? '', /^[0-9]{1,16}$/);
  assert.is(seen.welcomes, 1);
}

test('same origin (the demo page): a worker solves; the room is created and a new key joins it', async () => {
  const { page, seen } = await visit(`${easy.url}/`);
  await page.getByRole('button', { name: 'Create a room' }).click();
  await page.getByLabel('Your name').fill('alice');
  await page.getByRole('button', { name: 'Join' }).click();
  await online(page);
  const roomId = (await roomOf(page))!;
  assertCreationWorked(seen, roomId);
  assertJoinWorked(seen);
  assert.ok(seen.workers >= 2, `workers started: ${seen.workers}`);

  const other = await visit(`${easy.url}/?room=${roomId}`);
  await other.page.getByLabel('Your name').fill('bob');
  await other.page.getByRole('button', { name: 'Join' }).click();
  await online(other.page);
  assertJoinWorked(other.seen);
  assert.is.not(other.seen.joins[0]!.key.pub, seen.joins[0]!.key.pub);
  assert.is(other.seen.workers, 1);
  await page.locator('tiny-chat li[part="member"]', { hasText: 'bob' }).waitFor({ state: 'attached' });
});

test('another origin under a strict CSP: no worker, solved on the page; create and join work', async () => {
  const { page, seen } = await visit(easy.site.url({ name: 'carol' }));
  await page.getByRole('button', { name: 'Create a room' }).click();
  await online(page);
  const roomId = (await roomOf(page))!;
  assertCreationWorked(seen, roomId);
  assertJoinWorked(seen);

  const other = await visit(easy.site.url({ name: 'dave', room: roomId }));
  await online(other.page);
  assertJoinWorked(other.seen);
  assert.is(seen.workers + other.seen.workers, 0);
  await page.locator('tiny-chat li[part="member"]', { hasText: 'dave' }).waitFor({ state: 'attached' });
});

test('a join refused for want of work (its key lost its name: storage restored) solves and joins again', async () => {
  const now = Date.now();
  const id = newRoomId();
  await easy.storage.createRoom({ id, createdAt: now, expiresAt: now + 3_600_000, idleTimeoutMs: 3_600_000 });
  const before = restorable.mark();
  const { page, seen } = await visit(easy.site.url({ name: 'gina', room: id }));
  await online(page);
  assertJoinWorked(seen);
  await restorable.restore(before);
  // A reconnect: the key was welcomed, so it joins without work, is refused, and pays on the same socket.
  await page.context().setOffline(true);
  await page.locator('tiny-chat .status.offline').waitFor();
  await page.context().setOffline(false);
  await page.waitForFunction(() => document.querySelector('tiny-chat')?.shadowRoot?.querySelector('.status.online'));
  assert.is(seen.welcomes, 2);
  assert.equal(
    seen.joins.map((j) => j.pow !== undefined),
    [true, false, true],
  );
});

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  // The element, as test/widget/a11y.spec.ts checks it: the host test page itself has no landmarks.
  return page.evaluate(async () => {
    type Violations = { violations: { id: string; help: string }[] };
    const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<Violations> } }).axe;
    const result = await axe.run(document.querySelector('tiny-chat')!, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help}`);
  });
}

/** The longest the page's event loop was held while the solver ran, over `ms`. */
function longestStall(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    (span) =>
      new Promise<number>((resolve) => {
        let last = performance.now();
        let worst = 0;
        const start = last;
        const tick = (): void => {
          const now = performance.now();
          worst = Math.max(worst, now - last);
          last = now;
          if (now - start < span) setTimeout(tick, 0);
          else resolve(worst);
        };
        setTimeout(tick, 0);
      }),
    ms,
  );
}

test('long work (another origin): "Checking your browser…" is announced, the page stays responsive, Cancel and Try again work, axe finds nothing', async () => {
  // axe is injected past the page's CSP; the page is on another origin all the same, so there is no worker.
  const { page, seen } = await visit(hard.site.url({ name: 'erin' }), { bypassCSP: true });
  await page.getByRole('button', { name: 'Create a room' }).click();
  const status = page.locator('tiny-chat [part="checking"] [role="status"]');
  await status.filter({ hasText: 'Checking your browser…' }).waitFor();
  // A solver that held the thread would stall it for the whole second; slices are a few milliseconds.
  const stall = await longestStall(page, 1000);
  assert.ok(stall < 250, `the page was unresponsive for ${Math.round(stall)} ms`);
  assert.equal(await axeViolations(page), []);

  await page.getByRole('button', { name: 'Cancel' }).click();
  await status.filter({ hasText: 'Stopped checking your browser.' }).waitFor();
  assert.equal(await axeViolations(page), []);
  // No error on top of the stop, and the way on is there.
  assert.is(await page.locator('tiny-chat [part="error"]').count(), 0);
  await page.getByRole('button', { name: 'Try again' }).click();
  await status.filter({ hasText: 'Checking your browser…' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Try again' }).waitFor();
  assert.is(seen.workers, 0);
  // One POST for each try, each answered with a challenge; no solution was ever sent.
  assert.equal(seen.creations.map(workOf), [undefined, undefined]);
});

test('long work on a join: Cancel stops the socket, Try again dials and works again', async () => {
  const now = Date.now();
  const id = newRoomId();
  await hard.storage.createRoom({ id, createdAt: now, expiresAt: now + 3_600_000, idleTimeoutMs: 3_600_000 });
  const { page, seen } = await visit(hard.site.url({ name: 'frank', room: id }));
  const status = page.locator('tiny-chat [part="checking"] [role="status"]');
  await status.filter({ hasText: 'Checking your browser…' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await status.filter({ hasText: 'Stopped checking your browser.' }).waitFor();
  await page.locator('tiny-chat .status.closed').waitFor();
  assert.is(seen.joins.length, 0, 'no join went without its work');
  await page.getByRole('button', { name: 'Try again' }).click();
  await status.filter({ hasText: 'Checking your browser…' }).waitFor();
  await page.locator('tiny-chat .status.connecting').waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  assert.is(seen.joins.length, 0);
});

test('no console errors', () => {
  assert.equal(problems, []);
});

test.run();
