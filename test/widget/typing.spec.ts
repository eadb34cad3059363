/// <reference types="mocha" />
/**
 * The typing indicator against the real server (docs/protocol.md, "typing"):
 * typing in one widget shows "<name> is typing…" in the others, never in its
 * own; a message from that name ends it; several typists are counted; the
 * `no-typing` attribute turns both sending and showing off.
 */
import type { TinyChatElement } from '../../widget/index.js';
import { $, createRoom, equal, mount, online, shown, type, unmountAll, until } from './helpers.js';

afterEach(unmountAll);

const typingLine = (el: TinyChatElement): string => $(el, '[part=typing]')?.textContent ?? '';

/** Every text the typing line of `el` ever shows, from now on. */
function record(el: TinyChatElement): string[] {
  const seen: string[] = [];
  new MutationObserver(() => seen.push(typingLine(el))).observe(el.shadowRoot!, {
    subtree: true,
    childList: true,
    characterData: true,
  });
  return seen;
}

describe('<tiny-chat> typing indicator', () => {
  it('shows who is typing to the others, ends it with their message, and counts several', async () => {
    const room = await createRoom();
    const ann = await mount({ room, name: 'ann' });
    const ben = await mount({ room, name: 'ben' });
    const cat = await mount({ room, name: 'cat' });
    await Promise.all([online(ann), online(ben), online(cat)]);
    const annSaw = record(ann);

    await type(ann, 'hel');
    await until(() => typingLine(ben) === 'ann is typing…', 'ben sees ann typing');
    equal($(ben, '[part=typing] bdi')?.textContent, 'ann', 'the name is isolated');
    await until(() => typingLine(cat) === 'ann is typing…', 'cat sees ann typing');

    await type(ben, 'me too');
    await until(() => typingLine(cat) === '2 people are typing…', 'cat counts two');

    ann.sendMessage('hello');
    await until(() => shown(cat).length === 1 && typingLine(cat) === 'ben is typing…', 'ann stopped typing');
    await until(() => shown(ann).length === 1, 'ann has her message');
    equal(
      annSaw.filter((line) => line.includes('ann')),
      [],
      'ann never sees herself typing',
    );
  });

  it('with no-typing, says nothing when typing and shows nothing', async () => {
    const room = await createRoom();
    const quiet = await mount({ room, name: 'quiet', 'no-typing': '' });
    const loud = await mount({ room, name: 'loud' });
    const watcher = await mount({ room, name: 'watcher' });
    await Promise.all([online(quiet), online(loud), online(watcher)]);
    const quietSaw = record(quiet);
    const watcherSaw = record(watcher);

    await type(quiet, 'shh');
    await type(loud, 'la la');
    await until(() => typingLine(watcher) === 'loud is typing…', 'the watcher sees loud');
    // The message from quiet reaches the watcher after any typing frame quiet sent before it.
    quiet.sendMessage('after typing');
    await until(() => shown(watcher).length === 1 && shown(quiet).length === 1, 'the message arrived');
    equal(
      watcherSaw.filter((line) => line.includes('quiet') || line.includes('2 people')),
      [],
      'quiet never showed as typing',
    );
    equal(
      quietSaw.filter((line) => line !== ''),
      [],
      'quiet shows nobody typing',
    );
  });
});
