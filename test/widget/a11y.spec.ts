/// <reference types="mocha" />
/**
 * axe-core over the element's states (no room, signed in or not, name prompt,
 * a chat with messages, light and dark), and use by keyboard alone.
 */
import { generateIdentity, saveIdentity } from '../../widget/keys.js';
import { createOutboxStore } from '../../widget/outbox-store.js';
import { signMessage } from '../../widget/signing.js';
import type { TinyChatElement } from '../../widget/index.js';
import { $, createRoom, equal, mount, online, shown, unmountAll, until } from './helpers.js';

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
}
declare global {
  interface Window {
    axe?: { run(context: Element, options?: object): Promise<AxeResult> };
  }
}

async function axe(): Promise<NonNullable<Window['axe']>> {
  if (!window.axe) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }
  return window.axe!;
}

async function violations(el: Element): Promise<string[]> {
  const result = await (await axe()).run(el, { resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

afterEach(unmountAll);

describe('accessibility', () => {
  it('axe finds no violations with no room, at the name prompt, and in a chat (light and dark)', async () => {
    document.documentElement.lang = 'en';
    const noRoom = await mount({ 'room-param': '' });
    await until(() => $(noRoom, '.empty button'), 'create button');
    equal(await violations(noRoom), []);
    noRoom.remove();

    // Signed in: the create view adds the sign-in-only checkbox; a refused sign-in shows its error.
    const signedIn = await mount({ 'room-param': '' }, { token: 'not-a-token' });
    await until(() => $(signedIn, '.empty input[type="checkbox"]'), 'sign-in-only checkbox');
    equal(await violations(signedIn), []);
    $(signedIn, '.empty button')!.click();
    await until(() => $(signedIn, '[part="error"]'), 'sign-in error');
    equal(await violations(signedIn), []);
    signedIn.remove();

    const room = await createRoom();
    const prompt = await mount({ room });
    await until(() => $(prompt, 'input#name'), 'name prompt');
    equal(await violations(prompt), []);
    prompt.remove();

    const chat = await mount({ room, name: 'quinn' });
    await online(chat);
    chat.sendMessage('hello https://example.org');
    await until(() => shown(chat).length === 1 && shown(chat)[0]![1] === 'true', 'message');
    equal(await violations(chat), []);
    chat.setAttribute('theme', 'dark');
    await chat.updateComplete;
    equal(await violations(chat), []);
  });

  it('axe finds no violations with a message shown as not sent, with its retry and dismiss buttons', async () => {
    document.documentElement.lang = 'en';
    const room = await createRoom();
    const profile = `a11y-failed-${Date.now()}`;
    // An outbox entry stamped ten minutes ago, past the server's clock-skew window.
    const identity = await generateIdentity('sol');
    await saveIdentity(profile, identity);
    const fields = { roomId: room, name: 'sol', id: 'a11y-stale', ts: Date.now() - 600_000, text: 'too late' };
    const sig = await signMessage(identity, fields);
    await createOutboxStore(profile, room).save([{ ...fields, sig, pub: identity.pub, status: 'queued' }]);
    const el = await mount({ room, profile });
    await online(el);
    await until(() => $(el, '[part="retry-button"]') && $(el, '[part="dismiss-button"]'), 'the failed entry');
    equal(await violations(el), []);
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    equal(await violations(el), []);
  });

  it('axe finds no violations at a refused name and at a dead end (light and dark)', async () => {
    document.documentElement.lang = 'en';
    const room = await createRoom();
    const prompt = await mount({ room, name: 'bad\u202Ename' });
    await until(() => $(prompt, '#name-error'), 'the refused-name reason');
    equal(await violations(prompt), []);
    prompt.setAttribute('theme', 'dark');
    await prompt.updateComplete;
    equal(await violations(prompt), []);
    prompt.remove();

    const dead = await mount({ room: 'AAAAAAAAAAAAAAAAAAAAAC', name: 'tess', 'room-param': '' });
    await until(() => $(dead, '[part=dead-end]'), 'the dead end');
    // The composer stays, plainly disabled, and says why (to screen readers too).
    const area = $(dead, 'textarea') as HTMLTextAreaElement;
    equal([area.disabled, area.placeholder], [true, 'There is no such room.']);
    equal($(dead, `#${area.getAttribute('aria-describedby')}`)?.textContent, 'There is no such room.');
    equal(await violations(dead), []);
    dead.setAttribute('theme', 'dark');
    await dead.updateComplete;
    equal(await violations(dead), []);
  });

  it('axe finds no violations in an empty room, with the member list folded and open, the identity disclosure and room menu open and the new-messages pill (light and dark)', async () => {
    document.documentElement.lang = 'en';
    const room = await createRoom();
    const check = async (el: Element, what: string): Promise<void> => {
      for (const theme of ['light', 'dark']) {
        el.setAttribute('theme', theme);
        await (el as TinyChatElement).updateComplete;
        equal(await violations(el), [], `${what}, ${theme}`);
      }
    };
    const reader = await mount({ room, name: 'uma' });
    reader.style.width = '360px';
    await online(reader);
    await until(() => $(reader, '.welcome #share'), 'the empty room welcome');
    await check(reader, 'empty room');

    const toggle = await until(() => $(reader, '.members-toggle'), 'the member toggle');
    equal(getComputedStyle(toggle).display !== 'none', true, 'the toggle shows at 360 px');
    equal(toggle.getAttribute('aria-expanded'), 'false');
    await check(reader, 'member list folded');
    toggle.click();
    await reader.updateComplete;
    equal(toggle.getAttribute('aria-expanded'), 'true');
    await check(reader, 'member list open');

    const details = $(reader, 'footer details:not(.room-menu)') as HTMLDetailsElement;
    details.open = true;
    await check(reader, 'identity disclosure open');

    // The room menu, after an export: the chunk's status line and its HTML button (the chunk through import()).
    const menu = $(reader, 'footer .room-menu') as HTMLDetailsElement;
    menu.open = true;
    await reader.updateComplete;
    [...menu.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Export transcript')!.click();
    await until(() => menu.querySelector('[role=status]')?.textContent?.startsWith('Saved tiny-chat-'), 'the export');
    await check(reader, 'room menu open, transcript saved');
    // The readable copy is made from the transcript the server sent (e2e/export.e2e.ts reads the file).
    [...menu.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Save a readable copy (HTML)')!.click();

    const writer = await mount({ room, name: 'vic' });
    await online(writer);
    for (let i = 0; i < 20; i++) writer.sendMessage(`line ${i}`);
    await until(() => shown(reader).length === 20, 'twenty messages');
    const list = $(reader, '.messages')!;
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
    writer.sendMessage('one more');
    await until(() => $(reader, 'button.pill'), 'the new-messages pill');
    await check(reader, 'new-messages pill');
  });

  it('axe finds no violations with the typing line and a join notice showing (light and dark)', async () => {
    document.documentElement.lang = 'en';
    const room = await createRoom();
    // The typist joins first, so that it sees the reader join: joined together, either welcome may already list
    // the other, and then no join notice is ever shown (a race a slower machine lost).
    const typist = await mount({ room, name: 'wade' });
    await online(typist);
    const reader = await mount({ room, name: 'xena' });
    await online(reader);
    const area = $(typist, 'textarea') as HTMLTextAreaElement;
    area.value = 'hi';
    area.dispatchEvent(new InputEvent('input'));
    await until(() => $(reader, '[part=typing]')?.textContent === 'wade is typing…', 'the typing line');
    await until(() => $(typist, '[part=notice]')?.textContent === 'xena joined', 'the join notice');
    for (const el of [reader, typist]) {
      equal(await violations(el), []);
      el.setAttribute('theme', 'dark');
      await el.updateComplete;
      equal(await violations(el), []);
    }
  });

  it('new messages are announced by a labelled live log; the input is labelled; Enter sends', async () => {
    const room = await createRoom();
    const el = await mount({ room, name: 'rosa' });
    await online(el);
    const log = $(el, '[part=messages]')!;
    equal(
      [log.getAttribute('role'), log.getAttribute('aria-live'), log.getAttribute('aria-label')],
      ['log', 'polite', 'Messages'],
    );
    const input = $(el, 'textarea')! as HTMLTextAreaElement;
    equal((input.labels ?? [])[0]?.textContent, 'Message');
    input.focus();
    input.value = 'sent by keyboard';
    input.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await until(() => shown(el).length === 1, 'sent');
    equal(shown(el)[0]![0], 'sent by keyboard');
    equal(input.value, '');
  });
});
