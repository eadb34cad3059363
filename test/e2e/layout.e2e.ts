/**
 * The widget's look in a real browser, embedded from another origin under a
 * strict CSP: at phone, sidebar and desktop widths nothing leaves the widget
 * and the share link's room id shows; a hostile host stylesheet changes
 * nothing; reading older messages is never interrupted by new ones; the share
 * link and the member toggle are reached by keyboard alone; an empty room
 * invites the first message. Screenshots land in test-artifacts/ for a person
 * to look at.
 */
import * as assert from 'uvu/assert';
import { createRoom } from '../helpers/server.js';
import { isLeave } from '../helpers/client.js';
import { ARTIFACTS, busyRoom, close, embedSuite, open, verifiedCount } from './embed.js';
import { overflowProblems, shareOnOneLine, shareRoomId, textProblems } from './layout-probe.js';

const layout = embedSuite('layout');

const WIDTHS = [320, 360, 420, 1280] as const;

layout(
  'at 320, 360, 420 and 1280 px nothing leaves the widget, times and words stay whole, the room id shows',
  async (ctx) => {
    const { room, count } = await busyRoom(ctx);
    for (const [i, width] of WIDTHS.entries()) {
      // 420 is a sidebar on a desktop page: the widget's own width decides, not the viewport's.
      const viewport = width === 420 ? 1280 : width;
      const page = await open(
        ctx,
        ctx.site.url({ width: width === 1280 ? 0 : width, name: `w${width}`, room }),
        viewport,
      );
      await page.getByLabel('Message', { exact: true }).fill(`Hello from ${width} px, a sentence long enough to wrap.`);
      await page.keyboard.press('Enter');
      // Each width before this one said hello too.
      await verifiedCount(page, count + i + 1);
      const widget = page.locator('tiny-chat');
      await page.screenshot({ path: `${ARTIFACTS}layout-${width}-light.png` });
      assert.is(Math.round((await widget.boundingBox())!.width), width, `widget width at ${width}`);
      assert.equal(await widget.evaluate(overflowProblems), [], `overflow at ${width}`);
      assert.equal(await widget.evaluate(textProblems), [], `text at ${width}`);
      assert.equal(await widget.evaluate(shareRoomId), { text: room, visible: true }, `room id at ${width}`);
      assert.ok(await widget.evaluate(shareOnOneLine), `"Copy link" wraps under the link at ${width}`);
      assert.is(
        await page.getByRole('button', { name: 'Copy link' }).count(),
        1,
        `the copy button is named at ${width}`,
      );

      const toggle = page.locator('tiny-chat .members-toggle');
      const members = page.locator('tiny-chat .members');
      if (width < 480) {
        const listed = await page.locator('tiny-chat .members li').count();
        assert.is(await toggle.textContent().then((t) => t?.trim()), `${listed} people`);
        assert.is(await toggle.getAttribute('aria-expanded'), 'false');
        assert.not.ok(await members.isVisible(), `member list folded at ${width}`);
        await toggle.click();
        await page.locator('tiny-chat .members-toggle[aria-expanded="true"]').waitFor();
        await members.waitFor({ state: 'visible' });
        assert.equal(await widget.evaluate(overflowProblems), [], `overflow at ${width}, members open`);
        if (width !== 420) await page.screenshot({ path: `${ARTIFACTS}layout-${width}-members.png` });
        await toggle.click();
        await members.waitFor({ state: 'hidden' });
      } else {
        assert.not.ok(await toggle.isVisible(), 'no toggle when wide');
        assert.ok(await members.isVisible(), 'member list beside the messages');
      }
      if (width !== 420) {
        await page.emulateMedia({ colorScheme: 'dark' });
        assert.equal(await widget.evaluate(overflowProblems), [], `overflow at ${width}, dark`);
        await page.screenshot({ path: `${ARTIFACTS}layout-${width}-dark.png` });
      }
      await close(page);
    }
    assert.equal(ctx.problems, []);
  },
);

/** Sizes and looks of the widget's main parts, relative to the widget's own box. */
function looks(el: Element): Record<string, unknown> {
  const host = el.getBoundingClientRect();
  const root = el.shadowRoot!;
  const out: Record<string, unknown> = { host: [host.width, host.height] };
  for (const sel of [
    '.base',
    'header',
    '#share',
    '.share button',
    '.typing',
    '.messages',
    'li.message',
    '.text',
    'form',
    'textarea',
    'button[type=submit]',
    'footer',
  ]) {
    const node = root.querySelector(sel);
    if (!node) {
      out[sel] = 'missing';
      continue;
    }
    const r = node.getBoundingClientRect();
    const s = getComputedStyle(node);
    out[sel] = {
      box: [r.left - host.left, r.top - host.top, r.width, r.height].map((v) => Math.round(v * 2) / 2),
      style: [s.fontSize, s.fontFamily, s.lineHeight, s.color, s.boxSizing, s.backgroundColor],
    };
  }
  return out;
}

layout('a hostile host stylesheet on another origin under a strict CSP changes neither size nor look', async (ctx) => {
  const { room, count } = await busyRoom(ctx);
  const watcher = ctx.bobs.at(-1)!;
  for (const width of WIDTHS) {
    const measured: Record<string, unknown>[] = [];
    for (const hostile of [false, true]) {
      // 420 is a sidebar on a desktop page.
      const page = await open(
        ctx,
        ctx.site.url({ width: width === 1280 ? 0 : width, name: 'same', room, hostile }),
        width === 420 ? 1280 : width,
      );
      await verifiedCount(page, count);
      if (hostile) {
        // The stylesheet did load: the page around the widget is hostile.
        assert.is(await page.locator('#host-text').evaluate((p) => getComputedStyle(p).fontSize), '40px');
        await page.screenshot({ path: `${ARTIFACTS}hostile-${width}.png` });
      } else {
        // And the widget's styles do not leak out into the page.
        const p = await page.locator('#host-text').evaluate((n) => {
          const s = getComputedStyle(n);
          return [s.fontSize, s.fontFamily, s.lineHeight, s.color];
        });
        assert.equal(p, ['16px', 'serif', '24px', 'rgb(0, 0, 0)']);
      }
      measured.push(await page.locator('tiny-chat').evaluate(looks));
      assert.ok(await page.locator('tiny-chat').evaluate(shareOnOneLine), `share row wraps at ${width}`);
      const name = await page
        .locator('tiny-chat')
        .evaluate((el) => (el as unknown as { assignedName: string }).assignedName);
      await close(page);
      // Wait for the leave, so the next page sees the same member list.
      await watcher.waitFor((f) => isLeave(f, name), 10_000);
      watcher.frames.length = 0;
    }
    assert.equal(measured[1], measured[0], `hostile page vs plain page at ${width}`);
  }
  assert.equal(ctx.problems, []);
});

/** The focused element, through shadow roots, as `tag#id.class`. */
function focused(): string {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el
    ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`
    : '';
}

layout(
  'by keyboard alone: Tab reaches the share link and the member toggle, which Enter and Space open and close',
  async (ctx) => {
    const { room } = await busyRoom(ctx);
    const page = await open(ctx, ctx.site.url({ width: 360, name: 'keys', room }), 360);
    const reached: string[] = [];
    const both = (): boolean => reached.includes('a#share.link') && reached.some((r) => r.includes('members-toggle'));
    for (let i = 0; i < 12 && !both(); i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(focused));
    }
    assert.ok(reached.includes('a#share.link'), `reached: ${reached.join(', ')}`);
    assert.ok(
      reached.some((r) => r.includes('members-toggle')),
      `reached: ${reached.join(', ')}`,
    );
    const toggle = page.locator('tiny-chat .members-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.locator('tiny-chat .members-toggle[aria-expanded="true"]').waitFor();
    await page.locator('tiny-chat .members').waitFor({ state: 'visible' });
    await page.keyboard.press('Space');
    await page.locator('tiny-chat .members-toggle[aria-expanded="false"]').waitFor();
    await page.locator('tiny-chat .members').waitFor({ state: 'hidden' });
    await close(page);
    assert.equal(ctx.problems, []);
  },
);

layout('an empty room invites the first message and shows the share link, at 360 and 1280 px', async (ctx) => {
  const room = await createRoom(ctx.chat);
  for (const width of [360, 1280]) {
    const page = await open(
      ctx,
      ctx.site.url({ width: width === 1280 ? 0 : width, name: `first${width}`, room }),
      width,
    );
    const welcome = page.locator('tiny-chat .welcome');
    await welcome.waitFor();
    await page.screenshot({ path: `${ARTIFACTS}empty-${width}-light.png` });
    assert.equal(await page.locator('tiny-chat').evaluate(shareRoomId), { text: room, visible: true });
    assert.ok(await welcome.locator('#share').isVisible(), 'the share link is in the welcome');
    assert.equal(await page.locator('tiny-chat').evaluate(overflowProblems), []);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${ARTIFACTS}empty-${width}-dark.png` });
    await close(page);
  }
  assert.equal(ctx.problems, []);
});

layout.run();
