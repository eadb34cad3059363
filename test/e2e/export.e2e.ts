/**
 * "Export transcript" end to end, embedded from another origin under the host
 * page's strict CSP (scripts only from itself and the chat server): the
 * export code is not part of the page load, it comes on first use as its own
 * script from beside the widget's script on the chat server (the CSP lets it
 * in, with no violation); by keyboard alone the reader saves the JSON
 * transcript of every message it holds and then the readable HTML copy, in
 * which a hostile message is plain text, no script runs, and the embedded
 * JSON is the transcript. Screenshots of the open menu land in
 * test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import type { MessageEntry, Transcript } from '../../protocol/transcript.js';
import { verifyTranscript } from '../../protocol/verify-transcript.js';
import { createRoom } from '../helpers/server.js';
import { ARTIFACTS, bob, close, embedSuite, open, verifiedCount } from './embed.js';

const exporting = embedSuite('export');

const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)> & "quotes" \u2028 <!--';

interface Saved {
  readonly name: string;
  readonly body: string;
}

async function saved(download: Download): Promise<Saved> {
  return { name: download.suggestedFilename(), body: readFileSync(await download.path(), 'utf8') };
}

/** Tabs until the element named `name` inside the widget has focus (keyboard only: no clicks). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const active = document.querySelector('tiny-chat')!.shadowRoot!.activeElement;
      return active?.textContent?.trim() ?? '';
    });
    if (focused === name) return;
  }
  throw new Error(`${name} not reached by Tab`);
}

exporting('the export loads on first use under the strict CSP and saves JSON, then a safe HTML copy', async (ctx) => {
  const room = await createRoom(ctx.chat);
  const b = await bob(ctx, room);
  await b.say('First message, before anyone came.');
  await b.say(HOSTILE);
  const scripts: string[] = [];
  const page = await open(ctx, ctx.site.url({ width: 600, name: 'reader', room }), 1280);
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await verifiedCount(page, 2);
  assert.equal(scripts, [], 'nothing more than the widget script at load');

  await tabTo(page, 'Room');
  await page.keyboard.press('Enter');
  await tabTo(page, 'Export transcript');
  const json = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const transcriptFile = await saved(await json);
  assert.equal(scripts, [`${ctx.chat}/tiny-chat.export.js`], 'the export chunk, from beside the widget script');
  assert.is(transcriptFile.name, `tiny-chat-${room}-2.json`);
  // The server's transcript as it sent it: every message, the head it signed, and it verifies offline.
  const transcript = JSON.parse(transcriptFile.body) as Transcript;
  assert.is(transcript.room.roomId, room);
  assert.equal(
    transcript.entries.map((e) => [e.seq, e.kind, (e as MessageEntry).name, (e as MessageEntry).text]),
    [
      [1, 'message', 'bob', 'First message, before anyone came.'],
      [2, 'message', 'bob', HOSTILE],
    ],
  );
  assert.equal([transcript.head.seq, transcript.lastSeq], [2, 2]);
  const wellKnown = (await (await fetch(`${ctx.chat}/.well-known/tiny-chat.json`)).json()) as { key: { pub: string } };
  const verified = await verifyTranscript(transcript, { trustedKey: wellKnown.key.pub });
  assert.ok(verified.ok, JSON.stringify(verified.findings));
  await page.locator('tiny-chat .room-menu [role=status]', { hasText: transcriptFile.name }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}export-1280.png` });

  await tabTo(page, 'Save a readable copy (HTML)');
  const htmlDownload = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const copy = await saved(await htmlDownload);
  assert.is(copy.name, `tiny-chat-${room}-2.html`);
  assert.not.ok(copy.body.includes(HOSTILE), 'the hostile text is never raw');
  assert.is(copy.body.match(/<script/g)?.length, 1, 'one script element: the JSON block');

  // The copy, opened on its own with no network: the text reads as written, nothing runs.
  const reader = await ctx.browser.newContext({ offline: true });
  ctx.contexts.push(reader);
  const view = await reader.newPage();
  const dialogs: string[] = [];
  view.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await view.setContent(copy.body);
  assert.equal(await view.locator('li .text').allTextContents(), ['First message, before anyone came.', HOSTILE]);
  assert.equal(await view.locator('img').count(), 0);
  const embedded = await view.locator('#tiny-chat-transcript').textContent();
  assert.equal(JSON.parse(embedded!), transcript);
  assert.equal(dialogs, [], 'no script ran');
  await close(page);
  assert.equal(ctx.problems, []);
});

exporting.run();
