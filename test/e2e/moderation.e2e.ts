/**
 * Moderation end to end, embedded on the host site under its strict CSP: the
 * owner creates the room in one browser context, a member joins in another
 * (another browser profile, another key). The owner removes the member's
 * message by keyboard alone (Tab to Remove, Enter, the dialog takes focus,
 * Escape cancels and gives focus back, Enter again, Tab, Enter), and in the
 * member's context the message turns into a tombstone live; then the owner
 * bans the member, who is told so. The moderation code is not part of the
 * page load for the member until the room has a moderation entry. Screenshots
 * of the owner's tools (on members and messages, and in the Room menu), the confirm dialog, the tombstone and the banned view
 * at 320, 360, 420 and 1280 px land in test-artifacts/, each checked for
 * overflow.
 */
import type { Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { ARTIFACTS, close, embedSuite, open, visit } from './embed.js';
import { overflowProblems } from './layout-probe.js';

const moderation = embedSuite('moderation');
const WIDTHS = [320, 360, 420, 1280];

/** Tabs until the focused element inside the widget reads `name` (keyboard only: no clicks). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      () =>
        document.querySelector('tiny-chat')!.shadowRoot!.activeElement?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    );
    if (focused === name) return;
  }
  throw new Error(`${name} not reached by Tab`);
}

const focusedText = (page: Page): Promise<string> =>
  page.evaluate(
    () =>
      document.querySelector('tiny-chat')!.shadowRoot!.activeElement?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
  );

/** A screenshot at each width (the widget fills the page), with nothing sticking out of the widget. */
async function shots(page: Page, name: string, before?: () => Promise<void>): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 720 });
    await before?.();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const problems = await page.locator('tiny-chat').evaluate(overflowProblems);
    assert.equal(problems, [], `${name} at ${width}`);
    await page.screenshot({ path: `${ARTIFACTS}moderation-${name}-${width}.png` });
  }
}

moderation(
  'the owner removes a message by keyboard, the member sees the tombstone live, then is banned',
  async (ctx) => {
    // The owner creates the room through the widget: its key owns it.
    const owner = await visit(ctx, ctx.site.url({ name: 'olga' }), 1280);
    await owner.getByRole('button', { name: 'Create a room' }).click();
    await owner.locator('tiny-chat .status.online').waitFor();
    const room = await owner.locator('tiny-chat').evaluate((el) => (el as unknown as { room: string }).room);

    const scripts: string[] = [];
    const member = await open(ctx, ctx.site.url({ name: 'mia', room }), 1280);
    member.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await member.getByLabel('Message', { exact: true }).fill('this one has to go');
    await member.keyboard.press('Enter');
    await member.getByLabel('Message', { exact: true }).fill('and this one stays');
    await member.keyboard.press('Enter');
    await owner.locator('tiny-chat li.message[data-verified="true"]', { hasText: 'and this one stays' }).waitFor();
    assert.equal(scripts, [], 'a plain member loads no moderation code');

    // The owner's tools: Remove on messages and Moderate on members (the list unfolded at narrow widths), then the
    // room's tools in the Room menu.
    const toggle = owner.locator('tiny-chat .members-toggle');
    const unfold = async (open: boolean): Promise<void> => {
      if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) === String(!open))
        await toggle.click();
    };
    const disclose = (selector: string, open: boolean): Promise<unknown> =>
      owner.locator(`tiny-chat ${selector}`).evaluate((d, o) => ((d as HTMLDetailsElement).open = o), open);
    await shots(owner, 'tools-members', async () => {
      await unfold(true);
      await disclose('.member-tools', true);
      await owner.locator('tiny-chat .members').evaluate((list) => (list.scrollTop = list.scrollHeight));
    });
    await shots(owner, 'tools-room', async () => {
      await unfold(false);
      await disclose('.member-tools', false);
      await disclose('details.room-menu', true);
    });
    await owner.setViewportSize({ width: 1280, height: 720 });
    await disclose('details.room-menu', false);

    // Keyboard only from here: focus starts on the page.
    await owner.locator('body').focus();
    await tabTo(owner, 'Remove message by mia');
    await owner.keyboard.press('Enter');
    await owner.locator('tiny-chat dialog.confirm[open]').waitFor();
    assert.is(await focusedText(owner), 'Cancel', 'focus moved into the dialog, on Cancel');
    await shots(owner, 'confirm');
    await owner.setViewportSize({ width: 1280, height: 720 });
    await owner.keyboard.press('Escape');
    await owner.locator('tiny-chat dialog.confirm').waitFor({ state: 'detached' });
    assert.is(await focusedText(owner), 'Remove message by mia', 'Escape cancels, focus goes back');
    assert.ok(await member.locator('tiny-chat li.message', { hasText: 'this one has to go' }).isVisible());

    await owner.keyboard.press('Enter');
    await owner.locator('tiny-chat dialog.confirm[open]').waitFor();
    await owner.keyboard.press('Tab');
    assert.is(await focusedText(owner), 'Remove');
    await owner.keyboard.press('Enter');

    // In the member's own browser context, the message turns into a tombstone as it happens.
    const tombstone = member.locator('tiny-chat li.tombstone');
    await tombstone.waitFor();
    assert.is((await tombstone.locator('.text').textContent())?.trim(), 'Message removed by the owner');
    assert.is(await member.locator('tiny-chat li.message', { hasText: 'this one has to go' }).count(), 0);
    await member.locator('tiny-chat li.notice', { hasText: 'A message was removed by the owner' }).waitFor();
    assert.is(
      await member.locator('tiny-chat li.message[data-verified="true"]', { hasText: 'and this one stays' }).count(),
      1,
      'the chain still verifies after the removal',
    );
    assert.equal(scripts, [`${ctx.chat}/tiny-chat.moderation.js`], 'the moderation chunk came with the first action');
    await owner.locator('tiny-chat li.tombstone').waitFor();
    assert.ok(
      await owner.evaluate(() => {
        const root = document.querySelector('tiny-chat')!.shadowRoot!;
        return root.activeElement === root.querySelector('#input');
      }),
      'focus went to the message field, the Remove button being gone',
    );
    await shots(member, 'tombstone');

    // Banned: the member is told, with nothing to retry.
    await owner.setViewportSize({ width: 1280, height: 720 });
    await owner.locator('tiny-chat .member-tools summary').click();
    await owner.locator('tiny-chat .member-tools button', { hasText: 'Ban' }).click();
    await owner.locator('tiny-chat dialog.confirm button.danger').click();
    const banned = member.locator('tiny-chat [part="dead-end"][data-code="banned"]');
    await banned.waitFor();
    assert.is((await banned.textContent())?.trim(), 'You were banned from this room.');
    await shots(member, 'banned');
    await member.emulateMedia({ colorScheme: 'dark' });
    await member.screenshot({ path: `${ARTIFACTS}moderation-banned-1280-dark.png` });
    await close(member);
    await close(owner);
    assert.equal(ctx.problems, []);
  },
);

moderation.run();
