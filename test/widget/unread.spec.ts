/// <reference types="mocha" />
/**
 * Unread and notices against the real server: messages from others that
 * arrive while the list is scrolled up are counted (`unread`, the
 * `tiny-chat-unread` event, the opt-in "(N) " title badge) until the reader
 * is back at the bottom; joins and leaves show as quiet notices, grouped
 * when they come together, never for oneself.
 */
import type { TinyChatElement } from '../../widget/index.js';
import { $, $$, createRoom, equal, mount, online, shown, unmountAll, until } from './helpers.js';

afterEach(unmountAll);

const notices = (el: TinyChatElement): string[] => $$(el, '[part=notice]').map((n) => n.textContent);

function scroll(el: TinyChatElement, to: 'top' | 'bottom'): void {
  const list = $(el, '[part=messages]')!;
  list.scrollTop = to === 'top' ? 0 : list.scrollHeight;
  list.dispatchEvent(new Event('scroll'));
}

describe('<tiny-chat> unread count and notices', () => {
  it('counts messages that arrive while scrolled up, badges the title, and clears at the bottom', async () => {
    const title = document.title;
    const room = await createRoom();
    const reader = await mount({ room, name: 'rita', 'title-badge': '' });
    reader.style.height = '300px';
    const writer = await mount({ room, name: 'walt' });
    await Promise.all([online(reader), online(writer)]);
    for (let i = 0; i < 12; i++) writer.sendMessage(`filler ${i}`);
    await until(() => shown(reader).length === 12, 'the list fills');
    await reader.updateComplete;
    equal(reader.unread, 0, 'read while at the bottom');

    const counts: number[] = [];
    reader.addEventListener('tiny-chat-unread', (e) => counts.push(e.detail.count));
    scroll(reader, 'top');
    writer.sendMessage('while you read');
    writer.sendMessage('and another');
    await until(() => reader.unread === 2, 'two unread');
    equal(counts, [1, 2]);
    equal(document.title, `(2) ${title}`.trim());
    equal($(reader, '[part=messages]')!.scrollTop, 0, 'the reader was not moved');

    reader.sendMessage('my own does not count');
    await until(() => shown(reader).length === 15, 'own message shown');
    equal(reader.unread, 2);

    scroll(reader, 'bottom');
    equal([reader.unread, counts.at(-1), document.title], [0, 0, title]);
  });

  it('shows joins and leaves as quiet notices, grouped, never its own', async () => {
    const room = await createRoom();
    const host = await mount({ room, name: 'hugo' });
    await online(host);
    const ida = await mount({ room, name: 'ida' });
    const jon = await mount({ room, name: 'jon' });
    await Promise.all([online(ida), online(jon)]);
    await until(() => notices(host).join() === 'ida and jon joined', 'one notice for two joins');
    equal(
      notices(ida).filter((n) => n.includes('ida')),
      [],
      'never one’s own join',
    );

    host.sendMessage('hello both');
    await until(() => shown(host).length === 1, 'a message between');
    jon.remove();
    await until(() => notices(host).length === 2, 'a new notice after the message');
    equal(notices(host), ['ida and jon joined', 'jon left']);
    const parts = $$(host, '[part=messages] li[part]').map((li) => li.getAttribute('part')!.split(' ')[0]);
    equal(parts, ['notice', 'message', 'notice'], 'the notices sit where they happened');
  });
});
