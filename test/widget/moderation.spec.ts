/// <reference types="mocha" />
/**
 * Moderation in the element, against the real server (protocol v3): the
 * creator owns the room and sees the tools, a member does not; a removal
 * asks first and turns the message into a tombstone for everyone, live and
 * in later history, with the chain still verifying through the action; the
 * removed, banned and ended members' views; slow mode keeps the message and
 * counts down; a locked room explains itself; a ban is undone from the Room
 * menu's Banned list. axe-core over each state.
 */
import type { TinyChatElement } from '../../widget/index.js';
import { loadIdentity } from '../../widget/keys.js';
import {
  $,
  $$,
  assert,
  equal,
  mount,
  online,
  ownedRoom,
  ownerActs,
  shown,
  storedRoom,
  type,
  unmountAll,
  until,
} from './helpers.js';

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
}
declare global {
  interface Window {
    axe?: { run(context: Element, options?: object): Promise<AxeResult> };
  }
}

async function violations(el: Element): Promise<string[]> {
  if (!window.axe) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }
  const result = await window.axe!.run(el, { resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** The owner: a widget that created its room through its own "Create a room". */
async function owner(name = 'olga', profile?: string): Promise<TinyChatElement> {
  const el = await mount({ name, 'room-param': '', ...(profile ? { profile } : {}) });
  (await until(() => $(el, '.empty button'), 'create button')).click();
  await until(() => el.room, 'room created');
  await online(el);
  return el;
}

async function say(el: TinyChatElement, text: string): Promise<void> {
  await type(el, text);
  $(el, 'form.composer button[type="submit"]')!.click();
  await until(() => shown(el).some(([t, v]) => t === text && v === 'true'), `"${text}" verified`);
}

/** The message row whose text is `text`. */
const row = (el: TinyChatElement, text: string): HTMLElement | undefined =>
  $$(el, 'li.message[data-seq]').find((li) => li.querySelector('.text')?.textContent === text);

const notices = (el: TinyChatElement): string[] => $$(el, 'li.notice.action').map((li) => li.textContent.trim());

/** Opens the room menu (the footer's "Room" disclosure). */
async function roomMenu(el: TinyChatElement): Promise<HTMLElement> {
  const menu = await until(() => $(el, 'details.room-menu') as HTMLDetailsElement | null, 'room menu');
  menu.open = true;
  return until(() => $(el, '.mod-room'), 'room tools');
}

/** Clicks `button` (which asks first, with `question` when given), then the dialog's confirm button. */
async function confirmed(el: TinyChatElement, button: HTMLElement, question?: string): Promise<void> {
  button.click();
  const dialog = await until(() => $(el, 'dialog.confirm[open]') as HTMLDialogElement | null, 'confirm dialog');
  if (question !== undefined) equal(dialog.querySelector('.question')!.textContent, question);
  assert(dialog.contains(el.shadowRoot!.activeElement), 'focus moved into the dialog');
  equal(el.shadowRoot!.activeElement!.textContent.trim(), 'Cancel', 'Cancel has focus first');
  (dialog.querySelector('button.danger') as HTMLElement).click();
  await until(() => !$(el, 'dialog.confirm'), 'dialog closed');
}

/** The "Moderate" disclosure of `name` in the member list, opened. */
async function memberTools(el: TinyChatElement, name: string): Promise<HTMLElement> {
  const li = await until(
    () => $$(el, '#members li').find((m) => m.querySelector('bdi')?.textContent === name && m.querySelector('details')),
    `tools for ${name}`,
  );
  const details = li.querySelector('details')!;
  details.open = true;
  return details;
}

const button = (within: HTMLElement, text: string): HTMLElement =>
  [...within.querySelectorAll('button')].find((b) => b.textContent.trim().startsWith(text))!;

afterEach(unmountAll);

describe('moderation', () => {
  it('the creator owns the room and sees the tools; a member does not; the owner survives a reload', async () => {
    const profile = `owner-${Date.now()}`;
    const olga = await owner('olga', profile);
    const room = olga.room!;
    const identity = (await loadIdentity(profile))!;
    equal((await storedRoom(room)).staff?.owner, { alg: identity.alg, pub: identity.pub }, 'the room is the key’s');
    await say(olga, 'welcome, everyone');
    const mia = await mount({ room, name: 'mia' });
    await online(mia);
    await until(() => shown(mia).length === 1, 'mia sees the message');
    await say(mia, 'hi olga');

    await until(() => row(olga, 'hi olga')?.querySelector('[part="moderate-button"]'), 'Remove on the owner’s view');
    await memberTools(olga, 'mia');
    await roomMenu(olga);
    assert(button($(olga, '.mod-room')!, 'End room'), 'the owner may end the room');

    assert(!$(mia, '[part="moderate-button"]'), 'no Remove for a member');
    assert(!$(mia, '.member-tools'), 'no member tools for a member');
    (mia.shadowRoot!.querySelector('details.room-menu') as HTMLDetailsElement).open = true;
    await mia.updateComplete;
    assert(!$(mia, '.mod-room'), 'no room tools for a member');
    equal(await violations(olga), [], 'axe: owner with tools and room menu open');

    // Same key after a reload: still the owner.
    olga.remove();
    const again = await mount({ room, profile });
    await online(again);
    await until(() => row(again, 'hi olga')?.querySelector('[part="moderate-button"]'), 'tools after a reload');
  });

  it('a removal asks first, then the message is a tombstone for everyone, live and in later history', async () => {
    const olga = await owner();
    const room = olga.room!;
    const mia = await mount({ room, name: 'mia', profile: `mia-${Date.now()}` });
    await online(mia);
    await say(mia, 'something regrettable');
    await say(mia, 'and something fine');

    const remove = await until(
      () => row(olga, 'something regrettable')?.querySelector<HTMLElement>('[part="moderate-button"]'),
      'Remove',
    );
    // Cancel first: nothing happens, focus goes back to the Remove button.
    remove.click();
    const dialog = await until(() => $(olga, 'dialog.confirm[open]') as HTMLDialogElement | null, 'dialog');
    equal(dialog.querySelector('.detail')!.textContent, 'something regrettable', 'the dialog quotes the message');
    equal(await violations(olga), [], 'axe: confirm dialog');
    (dialog.querySelector('button.quiet') as HTMLElement).click();
    await until(() => !$(olga, 'dialog.confirm'), 'dialog closed');
    equal(olga.shadowRoot!.activeElement, remove, 'focus back on Remove');
    assert(row(olga, 'something regrettable'), 'still there after Cancel');

    await confirmed(olga, remove);
    const tombstone = (el: TinyChatElement): HTMLElement | null => $(el, 'li.tombstone');
    await until(() => tombstone(olga) && tombstone(mia), 'tombstones on both');
    for (const el of [olga, mia]) {
      equal(tombstone(el)!.querySelector('.text')!.textContent, 'Message removed by the owner');
      await until(() => notices(el).includes('A message was removed by the owner'), 'the action notice');
      assert(!row(el, 'something regrettable'), 'the text is gone');
      await until(() => $$(el, 'li[data-seq]').every((li) => li.dataset['verified'] === 'true'), 'all verified');
    }
    equal(await violations(mia), [], 'axe: tombstone');

    // Later history (a new visit): the tombstone and the action, and a message after them, all verify.
    await say(olga, 'moving on');
    const later = await mount({ room, name: 'nia' });
    await online(later);
    await until(() => tombstone(later) && shown(later).some(([t]) => t === 'moving on'), 'history with tombstone');
    await until(
      () => $$(later, 'li[data-seq]').every((li) => li.dataset['verified'] === 'true'),
      'the chain verifies through the action and the tombstone',
    );
    equal(notices(later), ['A message was removed by the owner']);
  });

  it('a kicked member sees when they may rejoin; a banned one is told so, with no retry', async () => {
    const olga = await owner();
    const room = olga.room!;
    const kim = await mount({ room, name: 'kim' });
    const ben = await mount({ room, name: 'ben' });
    await online(kim);
    await online(ben);

    // The tools offer three lengths, as a labelled group; this one is an hour, and the confirmation says so.
    const tools = await memberTools(olga, 'kim');
    const lengths = tools.querySelector('[role="group"].kick')!;
    equal(lengths.getAttribute('aria-labelledby'), lengths.querySelector('span')!.id, 'the group is labelled');
    equal(lengths.querySelector('span')!.textContent, 'Remove for');
    equal(
      [...lengths.querySelectorAll('button')].map((b) => b.textContent.trim()),
      ['10 min', '1 h', '1 day'],
    );
    const from = Date.now();
    await confirmed(olga, button(lengths as HTMLElement, '1 h'), 'Remove kim from the room for 1 h?');
    const kicked = await until(() => $(kim, '[part="dead-end"][data-code="kicked"]'), 'kicked view');
    assert(kicked.textContent.includes('A moderator removed you from this room.'), kicked.textContent);
    // "You may rejoin at" the time an hour from the kick (the minute may turn while it goes through).
    const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
    const hourOn = [0, 60_000, 120_000].map((d) => `You may rejoin at ${clock.format(from + 3_600_000 + d)}.`);
    assert(
      hourOn.some((line) => kicked.textContent.includes(line)),
      `an hour on: ${kicked.textContent} (one of ${hourOn.join(' | ')})`,
    );
    equal(kim.connectionState, 'closed');
    await until(() => notices(olga).includes('kim was removed'), 'notice for the others');
    equal(await violations(kim), [], 'axe: kicked');

    // A reload while the kick runs: the server says how long, the view says when.
    kim.remove();

    await confirmed(olga, button(await memberTools(olga, 'ben'), 'Ban'));
    const banned = await until(() => $(ben, '[part="dead-end"][data-code="banned"]'), 'banned view');
    equal(banned.querySelector('[role="alert"]')!.textContent, 'You were banned from this room.');
    assert(!banned.querySelector('button'), 'no retry');
    equal(ben.connectionState, 'closed');
    equal(await violations(ben), [], 'axe: banned');
    await until(() => notices(olga).includes('ben was banned'), 'ban notice');
  });

  it('the Room menu lists who is banned; Unban lets them join again', async () => {
    const olga = await owner();
    const room = olga.room!;
    const profile = `ben-${Date.now()}`;
    const ben = await mount({ room, name: 'ben', profile });
    await online(ben);
    const tools = await roomMenu(olga);
    assert(!$(olga, '.banned'), 'no Banned list while nobody is');

    await confirmed(olga, button(await memberTools(olga, 'ben'), 'Ban'));
    await until(() => $(ben, '[data-code="banned"]'), 'ben is banned');
    const banned = await until(() => $(olga, '.mod-room .banned'), 'the Banned list');
    equal(banned.querySelector('#banned-label')!.textContent, 'Banned');
    equal(
      $$(olga, '.banned li').map((li) => li.querySelector('bdi')!.textContent),
      ['ben'],
      'ben, by the name he was seen with',
    );
    await until(() => !$$(olga, '#members li').some((li) => li.textContent.includes('ben')), 'ben leaves the members');
    equal(await violations(olga), [], 'axe: room menu with the Banned list');

    // A native button: the keyboard reaches it, and its name says whom.
    const unban = button(banned, 'Unban');
    equal(unban.textContent.replace(/\s+/g, ' ').trim(), 'Unban ben');
    unban.focus();
    equal(olga.shadowRoot!.activeElement, unban, 'Unban takes focus');
    unban.click();
    await until(() => !$(olga, '.banned'), 'the entry leaves once the unban is in');
    await until(() => notices(olga).includes('ben may join again'), 'unban notice');
    await until(() => tools.contains(olga.shadowRoot!.activeElement), 'focus stays in the room tools');

    // The same key joins again for real.
    ben.remove();
    const back = await mount({ room, profile });
    await online(back);
    assert(!$(back, '[part="dead-end"]'), 'back in the room');
    await say(back, 'thanks');
  });

  it('a kicked member reloading is told when; at the end of it, Rejoin', async () => {
    const olga = await owner();
    const room = olga.room!;
    const profile = `kim-${Date.now()}`;
    const kim = await mount({ room, name: 'kim', profile });
    await online(kim);
    await confirmed(olga, button(await memberTools(olga, 'kim'), '10 min'));
    await until(() => $(kim, '[data-code="kicked"]'), 'kicked');
    kim.remove();
    const back = await mount({ room, profile });
    const view = await until(() => $(back, '[data-code="kicked"]'), 'kicked at the door');
    assert(view.textContent.includes('You may rejoin at'), view.textContent);
    assert(!view.querySelector('button'), 'no Rejoin before the time');
  });

  it('ending the room: the owner confirms, members see "The owner ended this room" and may start a new one', async () => {
    const olga = await owner();
    const mia = await mount({ room: olga.room!, name: 'mia' });
    await online(mia);
    const tools = await roomMenu(olga);
    await confirmed(olga, button(tools, 'End room'));
    // The words come with the moderation chunk, which a plain member loads only now.
    const ended = await until(
      () => $$(mia, '[part="dead-end"]').find((d) => d.textContent.includes('The owner ended this room.')),
      'ended view',
    );
    assert(button(ended, 'Start a new room'), 'start a new room');
    equal(($(mia, 'textarea') as HTMLTextAreaElement).placeholder, 'The owner ended this room.');
    equal(await violations(mia), [], 'axe: ended');
  });

  it('slow mode: a second message waits, the wait counts down, and it goes out by itself', async () => {
    const olga = await owner();
    const mia = await mount({ room: olga.room!, name: 'mia' });
    await online(mia);
    const tools = await roomMenu(olga);
    button(tools, '10 s').click();
    await until(() => notices(mia).includes('Slow mode: one message every 10 s'), 'slow notice');
    await until(() => button($(olga, '.mod-room')!, '10 s').getAttribute('aria-pressed') === 'true', 'pressed');

    await say(mia, 'first');
    await type(mia, 'second, too soon');
    $(mia, 'form.composer button[type="submit"]')!.click();
    const error = await until(() => $(mia, '[part="error"]'), 'the wait');
    assert(/Wait \d+ s\./.test(error.textContent), error.textContent);
    assert($(mia, 'li.pending'), 'the message waits in the outbox, not lost');
    await until(
      () => shown(mia).some(([t, v]) => t === 'second, too soon' && v === 'true'),
      'sent after the wait',
      15_000,
    );
  });

  it('a locked room explains itself to a newcomer, who may try again once it is unlocked', async () => {
    const olga = await owner();
    const tools = await roomMenu(olga);
    button(tools, 'Lock room').click();
    await until(() => notices(olga).includes('The room was locked'), 'lock notice');
    const newcomer = await mount({ room: olga.room!, name: 'nat' });
    const view = await until(() => $(newcomer, '[data-code="room-locked"]'), 'locked view');
    equal(view.querySelector('[role="alert"]')!.textContent, 'This room is locked: nobody new can join it now.');
    equal(await violations(newcomer), [], 'axe: locked');
    button($(olga, '.mod-room')!, 'Unlock room').click();
    await until(() => notices(olga).includes('The room was unlocked'), 'unlock notice');
    button(view, 'Try again').click();
    await online(newcomer);
  });

  it('promotes a moderator, who then sees the tools (but not End room); the owner demotes again', async () => {
    const olga = await owner();
    const max = await mount({ room: olga.room!, name: 'max' });
    await online(max);
    button(await memberTools(olga, 'max'), 'Make moderator').click();
    await until(() => notices(max).includes('max is now a moderator'), 'promote notice');
    await roomMenu(max);
    assert(!button($(max, '.mod-room')!, 'End room'), 'End room is the owner’s');
    assert(
      !$$(max, '#members li').some((li) => li.textContent.includes('olga') && li.querySelector('details')),
      'no tools on the owner',
    );
    button(await memberTools(olga, 'max'), 'Remove moderator').click();
    await until(() => notices(max).includes('max is no longer a moderator'), 'demote notice');
    await until(() => !$(max, '.mod-room'), 'tools gone');
  });

  it('a refusal from the server is shown, and dismissed: a removal that came second finds the message gone', async () => {
    const olga = await owner();
    const max = await mount({ room: olga.room!, name: 'max' });
    await online(max);
    button(await memberTools(olga, 'max'), 'Make moderator').click();
    await say(olga, 'remove me twice');
    const maxRemove = await until(
      () => row(max, 'remove me twice')?.querySelector<HTMLElement>('[part="moderate-button"]'),
      'Remove for the moderator',
    );
    // Max asks first; meanwhile the owner removes it.
    maxRemove.click();
    const dialog = await until(() => $(max, 'dialog.confirm[open]'), 'max’s dialog');
    await confirmed(olga, row(olga, 'remove me twice')!.querySelector<HTMLElement>('[part="moderate-button"]')!);
    (dialog.querySelector('button.danger') as HTMLElement).click();
    const alert = await until(() => $(max, '.mod-problem [role="alert"]'), 'the refusal');
    equal(alert.textContent, 'That message is no longer in the room.');
    equal(await violations(max), [], 'axe: refusal');
    button($(max, '.mod-problem')!, 'OK').click();
    await until(() => !$(max, '.mod-problem'), 'dismissed');
    await online(max);
  });

  it('a short kick: the view says when, then offers Rejoin, which joins again', async () => {
    const { roomId } = await ownedRoom();
    const kim = await mount({ room: roomId, name: 'kim' });
    await online(kim);
    const key = (await loadIdentity(kim.getAttribute('profile')!))!;
    equal((await ownerActs(roomId, { act: 'kick', target: { alg: key.alg, pub: key.pub }, forMs: 2500 })).type, 'ack');
    const view = await until(() => $(kim, '[data-code="kicked"]'), 'kicked view');
    await until(
      () => view.textContent.includes('You may rejoin at') || button(view, 'Rejoin'),
      'when, or already Rejoin',
    );
    const rejoin = await until(() => button($(kim, '[data-code="kicked"]')!, 'Rejoin'), 'Rejoin once allowed', 8000);
    rejoin.click();
    await online(kim);
    assert(!$(kim, '[part="dead-end"]'), 'back in the room');
  });
});
