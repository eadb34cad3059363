/**
 * Two people, each in their own browser context (two browser profiles, two
 * keys), embedded from another origin under a strict CSP, against the real
 * server: Ann's typing shows to Ben and goes when she sends or stops; a
 * message that arrives while Ben reads older ones counts as unread, fires
 * `tiny-chat-unread`, badges the page title and, with `sound`, plays a tone,
 * and all of that clears when he reads. Screenshots of the typing line and
 * of the join/leave notices land in test-artifacts/.
 */
import type { Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { TYPING_TTL_MS } from '../../protocol/limits.js';
import { createRoom } from '../helpers/server.js';
import { ARTIFACTS, bob, close, embedSuite, open, verifiedCount } from './embed.js';

const together = embedSuite('together');

const typingLine = (page: Page): Promise<string> =>
  page.locator('tiny-chat [part=typing]').evaluate((p) => p.textContent.trim());

const input = (page: Page) => page.getByLabel('Message', { exact: true });

together('typing: Ben sees "ann is typing…", and it goes when she sends, or when she stops', async (ctx) => {
  const room = await createRoom(ctx.chat);
  const ann = await open(ctx, ctx.site.url({ width: 1280, name: 'ann', room }), 1280);
  const ben = await open(ctx, ctx.site.url({ width: 360, name: 'ben', room }), 360);
  // Ben's join shows to Ann as a notice line.
  await ann.locator('tiny-chat [part=notice]', { hasText: 'ben joined' }).waitFor();
  assert.is(await typingLine(ben), '');

  await input(ann).pressSequentially('hello the');
  await ben.locator('tiny-chat [part=typing]', { hasText: 'ann is typing…' }).waitFor();
  assert.is(await typingLine(ann), '', 'nobody sees their own name typing');
  await ben.screenshot({ path: `${ARTIFACTS}typing-360-light.png` });
  await ben.emulateMedia({ colorScheme: 'dark' });
  await ben.screenshot({ path: `${ARTIFACTS}typing-360-dark.png` });
  await ben.emulateMedia({ colorScheme: 'light' });

  // She sends: the line is empty as soon as her message is there, well before the typing would time out.
  await input(ann).pressSequentially('re, ben');
  await ann.keyboard.press('Enter');
  const hello = ben.locator('tiny-chat li.message', { hasText: 'hello there, ben' });
  await hello.waitFor();
  assert.is(await typingLine(ben), '', 'her message ends her typing');

  // She types again, slowly enough that a frame goes out (one per 3 s at most), then stops without sending.
  await input(ann).pressSequentially('still thinking', { delay: 300 });
  await ben.locator('tiny-chat [part=typing]', { hasText: 'ann is typing…' }).waitFor();
  await ben
    .locator('tiny-chat [part=typing]', { hasText: 'typing' })
    .waitFor({ state: 'detached', timeout: TYPING_TTL_MS + 4000 })
    .catch(() => undefined);
  assert.is(await typingLine(ben), '', 'her typing runs out once she stops');
  assert.is(await ben.locator('tiny-chat li.message').count(), 1, 'and nothing was sent');
  assert.is(await input(ann).inputValue(), 'still thinking');

  // Ann leaves: Ben sees a quiet notice where it happened.
  await close(ann);
  await ben.locator('tiny-chat [part=notice]', { hasText: 'ann left' }).waitFor();
  await ben.screenshot({ path: `${ARTIFACTS}notices-360-light.png` });
  await ben.emulateMedia({ colorScheme: 'dark' });
  await ben.screenshot({ path: `${ARTIFACTS}notices-360-dark.png` });
  await close(ben);
  assert.equal(ctx.problems, []);
});

/** Counts every tone the page starts (the real oscillator still plays) and every `tiny-chat-unread` event. */
const LISTEN = `
  window.__tones = 0;
  window.__unread = [];
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__tones++;
    return start.apply(this, args);
  };
  addEventListener('tiny-chat-unread', (e) => window.__unread.push(e.detail.count));
`;

interface Heard {
  tones: number;
  events: number[];
  unread: number;
  title: string;
}

const heard = (page: Page): Promise<Heard> =>
  page.evaluate(() => {
    const w = window as unknown as { __tones: number; __unread: number[] };
    const el = document.querySelector('tiny-chat') as unknown as { unread: number };
    return { tones: w.__tones, events: [...w.__unread], unread: el.unread, title: document.title };
  });

const frames = (page: Page): Promise<unknown> =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Scrolls the message list to its top with the mouse wheel, as a reader would. */
async function scrollUp(page: Page): Promise<void> {
  const list = page.locator('tiny-chat .messages');
  await list.hover();
  await page.mouse.wheel(0, -10_000);
  await page.waitForFunction(
    () => document.querySelector('tiny-chat')!.shadowRoot!.querySelector('.messages')!.scrollTop === 0,
  );
  await frames(page);
}

together(
  'unread: while Ben reads older messages, Ann’s count up, fire tiny-chat-unread, badge the title and play a tone; reading clears them',
  async (ctx) => {
    const room = await createRoom(ctx.chat);
    const filler = await bob(ctx, room, 'cy');
    for (let i = 1; i <= 16; i++) await filler.say(`earlier message ${i}, long enough to take a line or two`);
    const ben = await open(
      ctx,
      ctx.site.url({ width: 420, name: 'ben', room, flags: ['title-badge', 'sound'] }),
      420,
      'light',
      LISTEN,
    );
    const ann = await open(ctx, ctx.site.url({ width: 420, name: 'ann', room }), 420, 'light', LISTEN);
    await verifiedCount(ben, 16);
    await verifiedCount(ann, 16);
    assert.equal(await heard(ben), { tones: 0, events: [], unread: 0, title: 'host page' });

    // Ben has not touched the page yet, so a browser would not let it make a sound: scrolled up (by wheel, which
    // is no such gesture), Ann's message counts and badges the title, silently.
    await scrollUp(ben);
    await input(ann).fill('before you touched the page');
    await ann.keyboard.press('Enter');
    await verifiedCount(ben, 17);
    await ben.waitForFunction(() => document.title === '(1) host page');
    assert.equal(await heard(ben), { tones: 0, events: [1], unread: 1, title: '(1) host page' });

    // He clicks the pill: read, the badge goes, the event says 0.
    await ben.locator('tiny-chat button.pill', { hasText: '1 new message ↓' }).click();
    await ben.waitForFunction(() => document.title === 'host page');
    assert.equal(await heard(ben), { tones: 0, events: [1, 0], unread: 0, title: 'host page' });

    // At the bottom of a visible page a message is read as it arrives: no count, no badge, no tone.
    await input(ann).fill('you see this one at once');
    await ann.keyboard.press('Enter');
    await verifiedCount(ben, 18);
    await frames(ben);
    assert.equal(await heard(ben), { tones: 0, events: [1, 0], unread: 0, title: 'host page' });

    // Scrolled up again, two messages from Ann: counted, announced, badged and, now, sounded, one each.
    await scrollUp(ben);
    await input(ann).fill('arrived while you read');
    await ann.keyboard.press('Enter');
    await verifiedCount(ben, 19);
    await input(ann).fill('and one more');
    await ann.keyboard.press('Enter');
    await verifiedCount(ben, 20);
    await ben.waitForFunction(() => document.title === '(2) host page');
    assert.equal(await heard(ben), { tones: 2, events: [1, 0, 1, 2], unread: 2, title: '(2) host page' });
    await ben.locator('tiny-chat button.pill', { hasText: '2 new messages ↓' }).waitFor();
    assert.is(await ben.locator('tiny-chat .messages').evaluate((l) => l.scrollTop), 0, 'the reader was not moved');

    // Reading (the pill takes him down) clears the count and the badge.
    await ben.locator('tiny-chat button.pill').click();
    await ben.waitForFunction(() => document.title === 'host page');
    assert.equal(await heard(ben), { tones: 2, events: [1, 0, 1, 2, 0], unread: 0, title: 'host page' });

    // Ann has neither `sound` nor `title-badge`: scrolled up, Ben's message counts, but no tone and no badge.
    await ann.locator('tiny-chat .messages').click();
    await scrollUp(ann);
    await input(ben).fill('a reply Ann has not seen yet');
    await ben.keyboard.press('Enter');
    await verifiedCount(ann, 21);
    await ann.waitForFunction(
      () => (document.querySelector('tiny-chat') as unknown as { unread: number }).unread === 1,
    );
    assert.equal(await heard(ann), { tones: 0, events: [1], unread: 1, title: 'host page' });
    await close(ann);
    await close(ben);
    assert.equal(ctx.problems, []);
  },
);

together.run();
