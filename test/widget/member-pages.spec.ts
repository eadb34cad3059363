/// <reference types="mocha" />
/**
 * A room bigger than a welcome's member page, against the real server
 * (docs/protocol.md, `members`): the list on show follows the room from the
 * first page on, pages on to everyone, stays live by name with the coalesced
 * presence frames, and its count is always the room's; a list folded away at
 * a narrow width asks for nothing until it is unfolded, and pages on when
 * scrolled to its end.
 */
import { MEMBER_PAGE } from '../../protocol/limits.js';
import type { TinyChatElement } from '../../widget/index.js';
import { $, $$, assert, createRoom, crowd, equal, mount, online, unmountAll, until } from './helpers.js';

afterEach(unmountAll);

const listed = (el: TinyChatElement): string[] => $$(el, '[part=member] bdi').map((b) => b.textContent ?? '');
const heading = (el: TinyChatElement): string => $(el, '.members h3')?.textContent ?? '';
const names = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `c${String(from + i).padStart(3, '0')}`);

describe('<tiny-chat> member list of a big room', () => {
  it('lists everyone past the first page, live by name, with the right count', async () => {
    const room = await createRoom();
    const total = MEMBER_PAGE + 30;
    await crowd(room, names(0, total));
    // "zed" sorts after the whole crowd: the welcome's first page of 100 leaves it out.
    const el = await mount({ room, name: 'zed' });
    await online(el);
    await until(() => heading(el) === `Members (${total + 1})`, 'the count of everyone');
    // The first page (oneself too, when one's own join came by name after the list was followed).
    await until(() => listed(el).length >= MEMBER_PAGE, 'the first page');
    assert(listed(el).length <= MEMBER_PAGE + 1, `${listed(el).length} listed before paging on`);
    const more = await until(() => $(el, '.members .more'), '"Show more people"');
    equal(more.textContent?.trim(), 'Show more people');
    more.click();
    await until(() => listed(el).length === total + 1, `all ${total + 1} listed`);
    assert(listed(el).includes('zed'), 'oneself listed');
    assert(!$(el, '.members .more'), 'nothing more to show once the list is whole');

    // Past the first page, joins and leaves now arrive by name, coalesced by the server.
    await crowd(room, ['c000', 'c120'], true);
    await crowd(room, ['c500', 'c501']);
    await until(() => heading(el) === `Members (${total + 1})`, 'the count after two left and two joined');
    await until(
      () => listed(el).includes('c501') && !listed(el).includes('c120') && !listed(el).includes('c000'),
      'the leaves and joins by name',
    );
    equal(new Set(listed(el)).size, total + 1, 'each member once');
  });

  it('a folded list at a narrow width asks for no page; unfolding follows the room', async () => {
    const room = await createRoom();
    await crowd(room, names(200, MEMBER_PAGE + 5));
    const el = await mount({ room, name: 'nia', style: 'width: 360px' });
    await online(el);
    const toggle = await until(() => $(el, '.members-toggle'), 'the member toggle');
    await until(() => toggle.textContent?.trim() === `${MEMBER_PAGE + 6} people`, 'the count in the toggle');
    // The welcome was cut to its first page (the room is bigger), so the socket does not follow the list yet.
    equal(listed(el).length, MEMBER_PAGE, 'the welcome lists the first page alone');
    // Folded: the welcome's names only, not followed. A socket that does not follow hears a join's count, never
    // its name; "c000" sorts first, so once unfolded the first page names it (a name after the first page would not be).
    await crowd(room, ['c000']);
    await until(() => toggle.textContent?.trim() === `${MEMBER_PAGE + 7} people`, 'the count after a join');
    assert(!listed(el).includes('c000'), 'a folded list was not followed');
    toggle.click();
    await until(() => listed(el).includes('c000'), 'unfolded, the first page names the join');
    // Scrolled to its end, the list fetches the rest by itself.
    const list = $(el, '.members')!;
    list.scrollTop = list.scrollHeight;
    await until(() => listed(el).length === MEMBER_PAGE + 7, 'everyone, after scrolling to the end');
  });
});
