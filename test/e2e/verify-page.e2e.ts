/**
 * The /verify page as a user gets it: served by a real server under its CSP,
 * and saved to disk and opened from file:// with the network off. A
 * transcript exported from a real chat (picked with the file input) verifies,
 * a tampered one shows its problem at its message, the HTML rendering works
 * too, the controls are reached by keyboard, and axe finds no violation.
 * Needs `npm run build` (dist/bundle/verify.html), as npm test runs it.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { embeddableJson, TRANSCRIPT_SCRIPT_ID } from '../../protocol/transcript-file.js';
import type { MessageEntry, Transcript } from '../../protocol/transcript.js';
import { TestClient } from '../helpers/client.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';
import { exportRequest, fetchTranscript } from '../helpers/transcript.js';
import { launch } from './browser.js';

const built = new URL('../../dist/bundle/verify.html', import.meta.url).pathname;
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let srv: Running;
let browser: Browser;
let transcript: Transcript;
let dir: string;

test.before(async () => {
  srv = await startServer();
  const roomId = await createRoom(srv.url);
  const alice = await TestClient.connect(srv.url);
  await alice.join(roomId, 'alice');
  for (let i = 1; i <= 3; i++) {
    const ack = await alice.say(`line ${i} <b>not bold</b>`, { ts: srv.clock.now() }, 30_000);
    assert.is(ack.type, 'ack');
  }
  const res = await fetchTranscript(srv.url, roomId, exportRequest(roomId, alice.identity, srv.clock.now()));
  transcript = (await res.json()) as Transcript;
  alice.close();
  dir = mkdtempSync(join(tmpdir(), 'tiny-chat-verify-page-'));
  copyFileSync(built, join(dir, 'verify.html'));
  browser = await launch();
});

test.after(async () => {
  await browser.close();
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function pick(page: Page, name: string, body: string, mimeType = 'application/json'): Promise<string> {
  await page.setInputFiles('#file', { name, mimeType, buffer: Buffer.from(body) });
  await page.waitForFunction(() => !/^(No file|Checking)/.test(document.getElementById('status')!.textContent ?? ''));
  return (await page.textContent('#status')) ?? '';
}

test('a saved copy, offline from file://, verifies a real transcript and shows tampering at its message', async () => {
  const context = await browser.newContext({ offline: true });
  const requests: string[] = [];
  context.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(`file://${join(dir, 'verify.html')}`);

  assert.match(
    await pick(page, 'chat.json', JSON.stringify(transcript)),
    /chat\.json: verified\. Room .*, messages 1 to 3\./,
  );

  const html = `<!doctype html><p>x</p><script type="application/json" id="${TRANSCRIPT_SCRIPT_ID}">${embeddableJson(transcript)}</script>`;
  assert.match(await pick(page, 'chat.html', html, 'text/html'), /chat\.html: verified/);

  const tampered = structuredClone<Transcript>(transcript);
  ((tampered.entries as MessageEntry[])[1] as { text: string }).text = 'line 2 <i>changed</i>';
  assert.match(await pick(page, 'bad.json', JSON.stringify(tampered)), /bad\.json: NOT verified/);
  const items = await page.$$eval('#findings li', (lis) => lis.map((li) => li.textContent ?? ''));
  assert.ok(
    items.some((t) => t.startsWith('Problem at message 2: the signature')),
    items.join('\n'),
  );
  // File content is text, never markup.
  assert.is(await page.$$eval('#findings i, #findings b', (n) => n.length), 0);

  await page.fill('#key', 'not-the-server-key');
  await page.dispatchEvent('#key', 'change');
  assert.match(await pick(page, 'chat.json', JSON.stringify(transcript)), /NOT verified/);

  assert.equal(requests, []);
  assert.equal(problems, []);
  await context.close();
});

test('served at /verify with its CSP; keyboard reaches every control; axe finds no violation', async () => {
  const res = await fetch(`${srv.url}/verify`);
  assert.is(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
  assert.not.match(csp, /unsafe-inline/);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${srv.url}/verify`);
  assert.match(await pick(page, 'chat.json', JSON.stringify(transcript)), /verified/);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Tab');
  assert.is(await page.evaluate(() => document.activeElement?.id), 'file');
  await page.keyboard.press('Tab');
  assert.is(await page.evaluate(() => document.activeElement?.id), 'key');
  await context.close();

  // axe is injected past the page's CSP (it allows no script but its own), in a context of its own.
  const axeContext = await browser.newContext({ bypassCSP: true });
  const axePage = await axeContext.newPage();
  await axePage.goto(`${srv.url}/verify`);
  await pick(axePage, 'bad.json', JSON.stringify({ ...transcript, lastSeq: 9 }));
  await axePage.addScriptTag({ path: axePath });
  const violations = await axePage.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; help: string }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => `${v.id}: ${v.help}`);
  });
  assert.equal(violations, []);
  await axeContext.close();
});

test.run();
