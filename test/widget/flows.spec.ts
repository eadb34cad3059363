/// <reference types="mocha" />
/**
 * The flows out of trouble, against the real server: a refused name shows
 * the name field again and is never kept; a dead room (missing, closed while
 * inside) offers a new room and drops what was queued for it; errors go when
 * their cause goes (a clock error after a retry went through, a rate limit
 * after its countdown); focus follows the user to the next field.
 */
import { MAX_NAME_LENGTH } from '../../protocol/limits.js';
import { generateIdentity, loadIdentity, saveIdentity } from '../../widget/keys.js';
import { createOutboxStore } from '../../widget/outbox-store.js';
import {
  $,
  $$,
  assert,
  createRoom,
  equal,
  mount,
  moveServerClock,
  online,
  shown,
  unmountAll,
  until,
} from './helpers.js';
import type { TinyChatElement } from '../../widget/index.js';

afterEach(async () => {
  unmountAll();
  await moveServerClock(0);
});

let profiles = 0;
const newProfile = (): string => `flows-${Date.now()}-${profiles++}`;

function focused(el: TinyChatElement): string | undefined {
  return el.shadowRoot!.activeElement?.id;
}

async function submitName(el: TinyChatElement, name: string): Promise<void> {
  const input = await until(() => $(el, 'input#name') as HTMLInputElement | null, 'the name field');
  input.value = name;
  $(el, 'form.name button')!.click();
  await el.updateComplete;
}

describe('<tiny-chat> flows out of trouble', () => {
  it('checks a name with the server rules before sending it, keeps none it refused, and focuses the next field', async () => {
    const room = await createRoom();
    const profile = newProfile();
    const el = await mount({ room, profile });
    const input = await until(() => $(el, 'input#name') as HTMLInputElement | null, 'the name field');
    equal(input.maxLength, MAX_NAME_LENGTH);
    equal(el.sendMessage('typed with no name'), undefined, 'nothing is queued without a usable name');
    assert(!$(el, 'textarea'), 'no composer without a name');

    for (const bad of ['al\u202Eice', 'zero\u200Bwidth', 'x'.repeat(MAX_NAME_LENGTH + 1)]) {
      await submitName(el, bad);
      equal($(el, '#name-error')?.textContent, 'That name cannot be used. Try another.', bad);
      equal([input.getAttribute('aria-invalid'), focused(el)], ['true', 'name']);
      equal(el.connectionState, 'setup', 'nothing was sent');
      assert(((await loadIdentity(profile))?.name ?? '') === '', 'a refused name is never stored');
    }

    await submitName(el, 'alice');
    await online(el);
    equal(el.assignedName, 'alice');
    await until(() => focused(el) === 'input', 'focus in the message field after Join');
  });

  it('a refused name stored by an earlier version shows the name field, and a good one replaces it', async () => {
    const room = await createRoom();
    const profile = newProfile();
    await saveIdentity(profile, await generateIdentity('bad\u202Ename'));
    const el = await mount({ room, profile });
    await until(() => $(el, '#name-error'), 'the reason');
    assert(!$(el, 'textarea'), 'no composer');
    await submitName(el, 'bert');
    await online(el);
    equal((await loadIdentity(profile))?.name, 'bert');
  });

  it('a room that does not exist: plain words, one action, the queued text dropped and said so', async () => {
    const missing = 'AAAAAAAAAAAAAAAAAAAAAB';
    const profile = newProfile();
    await createOutboxStore(profile, missing).save([{ id: 'q-1', text: 'never sent', status: 'queued' }]);
    const el = await mount({ room: missing, name: 'dana', profile, 'room-param': '' });
    const view = await until(() => $(el, '[part=dead-end]'), 'the dead end');
    equal(view.querySelector('[part=error]')!.textContent, 'There is no such room.');
    await until(() => view.textContent.includes('Messages not sent, now dropped: 1.'), 'the dropped count');
    equal(await createOutboxStore(profile, missing).load(), [], 'dropped from storage too');
    assert(!$(el, '[part=share]'), 'the dead link is hidden');
    assert(($(el, 'textarea') as HTMLTextAreaElement).disabled, 'the composer is disabled');
    equal(el.sendMessage('still typing'), undefined);
    equal(
      $$(el, '[part=dead-end] button').map((b) => b.textContent.trim()),
      ['Start a new room'],
    );

    $(el, '[part=dead-end] button')!.click();
    await online(el);
    assert(el.room !== missing && /^[A-Za-z0-9_-]{22}$/.test(el.room ?? ''), 'a new room');
    assert(!$(el, '[part=dead-end]') && !$(el, '[part=error]'), 'the dead end is gone');
    assert(!($(el, 'textarea') as HTMLTextAreaElement).disabled, 'the composer works again');
    await until(() => focused(el) === 'input', 'focus in the message field');
  });

  it('a room closed while inside becomes a dead end', async () => {
    const room = await createRoom();
    const el = await mount({ room, name: 'emil', 'room-param': '' });
    await online(el);
    // Past the test server's idle timeout (1 h): the next sweep closes the room with its members in it.
    await moveServerClock(2 * 3600_000);
    const view = await until(() => $(el, '[part=dead-end]'), 'the dead end', 15_000);
    equal(view.querySelector('[part=error]')!.textContent, 'This room was closed.');
    assert(!$(el, '[part=share]'), 'the dead link is hidden');
  });

  it('a clock error goes once a retry is delivered', async () => {
    const room = await createRoom();
    const el = await mount({ room, name: 'fay', 'room-param': '' });
    await online(el);
    // The server's clock jumps past the skew window after hello: the next message is refused.
    await moveServerClock(10 * 60_000);
    const id = el.sendMessage('refused for the clock')!;
    await until(() => $(el, '[part=error]')?.textContent?.startsWith('Your device clock is wrong'), 'the clock error');
    await moveServerClock(0);
    el.retryMessage(id);
    await until(() => shown(el).length === 1, 'delivered');
    await until(() => !$(el, '[part=error]'), 'the clock error is gone');
  });

  it('a rate limit counts down and goes', async () => {
    const room = await createRoom();
    const el = await mount({ room, name: 'gus', 'room-param': '' });
    await online(el);
    // Past the server's per-socket burst of 10.
    for (let i = 0; i < 16; i++) el.sendMessage(`burst ${i}`);
    await until(
      () => /^You are sending too fast\. Wait \d+ s\.$/.test($(el, '[part=error]')?.textContent ?? ''),
      'the countdown',
    );
    await until(() => shown(el).length === 16, 'all delivered');
    await until(() => !$(el, '[part=error]'), 'the rate limit is gone');
  });

  it('after "Create a room" focus is in the name field', async () => {
    const el = await mount({ 'room-param': '' });
    (await until(() => $(el, '.empty button'), 'create button')).click();
    await until(() => focused(el) === 'name', 'focus in the name field');
  });
});
