/**
 * A name the browser's own check accepts but the server refuses (every
 * variant of it is pinned to other keys in the room: `name-unavailable`),
 * end to end against the real server: the name field comes back with the
 * reason and keeps focus, no composer appears, the refused name is not kept
 * in IndexedDB and a reload asks again; another name then joins.
 */
import type { Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { skeleton } from '../../protocol/names.js';
import { createRoom } from '../helpers/server.js';
import { ARTIFACTS, close, embedSuite, visit } from './embed.js';

const names = embedSuite('names');

/** Every name the server would offer for `name` (the name, -2 … -20, -1000 … -9999), pinned to other keys. */
async function pinAllVariants(ctx: Parameters<Parameters<typeof names>[1]>[0], room: string, name: string) {
  const variants = [name];
  for (let i = 2; i <= 20; i++) variants.push(`${name}-${i}`);
  for (let i = 1000; i <= 9999; i++) variants.push(`${name}-${i}`);
  for (const [i, variant] of variants.entries()) {
    const bound = await ctx.storage.bindName(
      room,
      {
        key: { alg: 'Ed25519', pub: `someone-else-${i}` },
        candidates: [{ name: variant, skeleton: skeleton(variant) }],
      },
      ctx.clock.now(),
    );
    assert.is(bound.status, 'bound', variant);
  }
}

/** The names kept in this profile's IndexedDB records, read straight from the database. */
function storedNames(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open('tiny-chat');
        req.onerror = () => reject(new Error('cannot open tiny-chat'));
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction('records').objectStore('records').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(
              (all.result as unknown[])
                .map((r) => (r && typeof r === 'object' && 'name' in r ? String(r.name) : undefined))
                .filter((n): n is string => n !== undefined),
            );
          };
        };
      }),
  );
}

const focusedId = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => document.querySelector('tiny-chat')!.shadowRoot!.activeElement?.id);

names('a name the server refuses after the browser accepted it: the field says why, nothing is kept', async (ctx) => {
  const room = await createRoom(ctx.chat);
  await pinAllVariants(ctx, room, 'kim');
  const url = ctx.site.url({ width: 360, room });
  const page = await visit(ctx, url, 360);
  const field = page.getByLabel('Your name');
  await field.fill('kim');
  await field.press('Enter');

  const reason = page.locator('tiny-chat #name-error');
  await reason.waitFor();
  assert.is(await reason.textContent(), 'That name cannot be used. Try another.');
  assert.is(await field.getAttribute('aria-invalid'), 'true');
  assert.is(await focusedId(page), 'name', 'focus is back in the name field');
  assert.is(await field.inputValue(), 'kim', 'with the refused name in it, to change');
  assert.is(await page.locator('tiny-chat [part=composer]').count(), 0, 'no composer without a name');
  await page.screenshot({ path: `${ARTIFACTS}refused-name-360-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${ARTIFACTS}refused-name-360-dark.png` });

  // The key is kept (one identity record), its name is not.
  let kept: string[] = [];
  for (let i = 0; i < 50; i++) {
    kept = await storedNames(page);
    if (kept.length === 1 && kept[0] === '') break;
    await page.waitForTimeout(100);
  }
  assert.equal(kept, ['']);

  // A reload asks again rather than joining as "kim".
  await page.reload();
  await field.waitFor();
  assert.is(await field.inputValue(), '');
  assert.is(await page.locator('tiny-chat .status').count(), 0, 'not connecting with the refused name');

  await field.fill('kim lee');
  await field.press('Enter');
  await page.locator('tiny-chat .status.online').waitFor();
  assert.is(
    await page.locator('tiny-chat').evaluate((el) => (el as unknown as { assignedName: string }).assignedName),
    'kim lee',
  );
  assert.equal(await storedNames(page), ['kim lee']);
  await close(page);
  assert.equal(ctx.problems, []);
});

names.run();
