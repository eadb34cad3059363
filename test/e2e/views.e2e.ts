/**
 * The views this round added, at phone, sidebar and desktop widths, embedded
 * from another origin under the host's strict CSP: a big room's member list
 * paged past its first 100 (by scrolling to its end), and the room menu after an
 * export. Nothing leaves the widget or is clipped; screenshots land in
 * test-artifacts/ (views-<width>-members.png, views-<width>-export.png) for a
 * person to look at.
 */
import * as assert from 'uvu/assert';
import { MEMBER_PAGE } from '../../protocol/limits.js';
import { createRoom } from '../helpers/server.js';
import { ARTIFACTS, bob, close, embedSuite, open } from './embed.js';
import { overflowProblems } from './layout-probe.js';

const views = embedSuite('views');

const WIDTHS = [320, 360, 420, 1280] as const;

views('the paged member list and the room menu after an export fit at 320, 360, 420 and 1280 px', async (ctx) => {
  const room = await createRoom(ctx.chat);
  const crowd = MEMBER_PAGE + 12;
  for (let i = 0; i < crowd; i += 10) {
    const batch = Array.from({ length: Math.min(10, crowd - i) }, (_, j) => `m${String(i + j).padStart(3, '0')}`);
    await Promise.all(batch.map((name) => bob(ctx, room, name)));
  }
  await ctx.bobs[0]!.say('A message to export.');
  for (const width of WIDTHS) {
    // 420 is a sidebar on a desktop page.
    const viewport = width === 420 ? 1280 : width;
    const page = await open(
      ctx,
      ctx.site.url({ width: width === 1280 ? 0 : width, name: `z${width}`, room }),
      viewport,
    );
    const widget = page.locator('tiny-chat');
    if (width < 480) await page.locator('tiny-chat .members-toggle').click();
    const more = page.getByRole('button', { name: 'Show more people' });
    await more.waitFor();
    // Scrolled near the end, the list fetches the next page by itself (the component test presses the button).
    await more.evaluate((b) => b.scrollIntoView());
    // The crowd, this page's reader, and the readers of the widths before (their pages are closed: gone by now or soon).
    await page.waitForFunction(
      (least) => document.querySelector('tiny-chat')!.shadowRoot!.querySelectorAll('[part=member]').length >= least,
      crowd + 1,
    );
    await more.waitFor({ state: 'detached' });
    assert.equal(await widget.evaluate(overflowProblems), [], `overflow at ${width}, members paged`);
    await page.screenshot({ path: `${ARTIFACTS}views-${width}-members.png` });
    if (width < 480) await page.locator('tiny-chat .members-toggle').click();

    await page.getByText('Room', { exact: true }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export transcript' }).click();
    await download;
    await page.getByRole('button', { name: 'Save a readable copy (HTML)' }).waitFor();
    assert.equal(await widget.evaluate(overflowProblems), [], `overflow at ${width}, room menu open`);
    await page.screenshot({ path: `${ARTIFACTS}views-${width}-export.png` });
    await close(page);
  }
  assert.equal(ctx.problems, []);
});

views.run();
