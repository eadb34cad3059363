/**
 * The message list reads as a conversation (end to end, embedded from another
 * origin under a strict CSP): groups and day separators, the full time on
 * hover and for screen readers, the verified mark naming the sender's key,
 * the identity disclosure; and reading older messages is never interrupted by
 * new ones.
 */
import type { Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { createRoom } from '../helpers/server.js';
import { ARTIFACTS, bob, busyRoom, close, embedSuite, open, verifiedCount } from './embed.js';

const conversation = embedSuite('conversation');

const listOf = (page: Page) => page.locator('tiny-chat .messages');
const atBottom = (el: Element): boolean => el.scrollHeight - el.scrollTop - el.clientHeight < 2;

conversation(
  'reading older messages: a new one does not move the view and shows a pill; earlier messages keep the place',
  async (ctx) => {
    const room = await createRoom(ctx.chat);
    const b = await bob(ctx, room);
    for (let i = 1; i <= 80; i++) await b.say(`message number ${i}`);
    const page = await open(ctx, ctx.site.url({ width: 600, name: 'reader', room }), 1280);
    await verifiedCount(page, 50);
    const list = listOf(page);
    await page.waitForFunction(() => {
      const l = document.querySelector('tiny-chat')!.shadowRoot!.querySelector('.messages')!;
      return l.scrollHeight - l.scrollTop - l.clientHeight < 2;
    });

    await list.evaluate((l) => (l.scrollTop = 300));
    // A scroll event is handled before the next frame: wait for two.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await b.say('arrived while you read');
    const pill = page.locator('tiny-chat button.pill');
    await pill.waitFor();
    assert.is((await pill.textContent())?.trim(), '1 new message ↓');
    await page.locator('tiny-chat li.message', { hasText: 'arrived while you read' }).waitFor();
    assert.is(await list.evaluate((l) => l.scrollTop), 300);
    await b.say('and another');
    await page.locator('tiny-chat li.message', { hasText: 'and another' }).waitFor();
    assert.is((await pill.textContent())?.trim(), '2 new messages ↓');
    assert.is(await list.evaluate((l) => l.scrollTop), 300);
    await page.screenshot({ path: `${ARTIFACTS}pill-1280.png` });

    await pill.click();
    await page.waitForFunction(() => {
      const l = document.querySelector('tiny-chat')!.shadowRoot!.querySelector('.messages')!;
      return l.scrollHeight - l.scrollTop - l.clientHeight < 2;
    });
    await pill.waitFor({ state: 'detached' });

    // At the bottom, a new message keeps the newest in view.
    await b.say('you are at the bottom');
    await page.locator('tiny-chat li.message', { hasText: 'you are at the bottom' }).waitFor();
    assert.ok(await list.evaluate(atBottom));
    assert.is(await pill.count(), 0);

    // Show earlier messages: the first message in view stays where it was.
    await list.evaluate((l) => (l.scrollTop = 0));
    const earlier = page.getByRole('button', { name: 'Show earlier messages' });
    const before = await page
      .locator('tiny-chat li.message[data-seq="31"]')
      .evaluate((li) => li.getBoundingClientRect().top);
    await earlier.click();
    await page.locator('tiny-chat li.message[data-seq="1"]').waitFor({ state: 'attached' });
    const after = await page
      .locator('tiny-chat li.message[data-seq="31"]')
      .evaluate((li) => li.getBoundingClientRect().top);
    assert.ok(
      Math.abs(after - before) < 1,
      `message 31 moved from ${before} to ${after}, scrollTop ${await list.evaluate((l) => l.scrollTop)}`,
    );
    assert.ok((await list.evaluate((l) => l.scrollTop)) > 0);
    await close(page);
    assert.equal(ctx.problems, []);
  },
);

conversation(
  'groups, day separators, full times on hover and for screen readers, verified marks with the fingerprint, the identity disclosure',
  async (ctx) => {
    const { room, count } = await busyRoom(ctx);
    const page = await open(ctx, ctx.site.url({ width: 600, name: 'ida', room }), 1280);
    await verifiedCount(page, count);
    const rows = await page
      .locator('tiny-chat .messages ol > li')
      .evaluateAll((lis: Element[]): string[] =>
        lis.map((li): string => (li.classList.contains('day') ? `[${li.textContent.trim()}]` : li.className)),
      );
    // Yesterday's message, then today's three from Bob within minutes: one group, name and time once.
    assert.equal(rows, ['[Yesterday]', 'message', '[Today]', 'message', 'message cont', 'message cont']);
    const cont = page.locator('tiny-chat li.message.cont').first();
    const meta = (await cont.locator('.meta').boundingBox())!;
    assert.ok(meta.width <= 1 && meta.height <= 1, 'a continuing message shows no name or time');
    assert.is(await cont.locator('.name').textContent(), 'bob', 'but keeps them for screen readers');

    const times = await page.locator('tiny-chat li.message time').evaluateAll((ts) =>
      ts.map((t) => ({
        datetime: t.getAttribute('datetime')!,
        title: t.getAttribute('title')!,
        spoken: t.querySelector('.vh')!.textContent,
        shown: t.querySelector('[aria-hidden="true"]')!.textContent,
        full: new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' }).format(
          new Date(t.getAttribute('datetime')!),
        ),
      })),
    );
    assert.is(times.length, count);
    for (const t of times) {
      assert.ok(!Number.isNaN(Date.parse(t.datetime)), t.datetime);
      assert.is(t.title, t.full, 'the full date-time on hover');
      assert.is(t.spoken, t.full, 'and to screen readers');
      assert.ok(t.full.includes(t.shown) || t.shown.length <= 8, `short time ${t.shown}`);
    }
    const hover = await cont.getAttribute('title');
    assert.is(hover, times.at(-1)!.full, 'a continuing message has the full time on hover');

    // The verified mark: its accessible name and tooltip give Bob's key fingerprint, as his member entry shows it.
    const bobsKey = (await page.locator('tiny-chat .members li', { hasText: 'bob' }).locator('code').textContent())!;
    assert.match(bobsKey, /^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    const mark = page.getByRole('img', { name: `Verified: signed with the key ${bobsKey}` });
    assert.is(await mark.count(), count);
    assert.is(await mark.first().getAttribute('title'), `Verified: signed with the key ${bobsKey}`);

    // Identity: closed until asked for, then the own fingerprint and "New identity".
    const summary = page.locator('tiny-chat footer details:not(.room-menu) summary');
    assert.is((await summary.textContent())?.trim(), 'Identity');
    const renew = page.getByRole('button', { name: 'New identity' });
    assert.not.ok(await renew.isVisible());
    await summary.click();
    await renew.waitFor();
    assert.match((await page.locator('tiny-chat footer code').textContent())!, /^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    await page.screenshot({ path: `${ARTIFACTS}conversation-600.png` });
    await close(page);
    assert.equal(ctx.problems, []);
  },
);

conversation.run();
