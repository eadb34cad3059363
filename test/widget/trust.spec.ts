/// <reference types="mocha" />
/**
 * Trust across visits: the widget remembers each member's key per room in
 * IndexedDB, and when a name shows up with another key on a later visit (the
 * server, or whoever holds its database, swapped it) it says so in a quiet
 * notice. Each checked message carries its sender's fingerprint.
 */
import type { TinyChatMessageDetail } from '../../widget/index.js';
import { fingerprint, generateIdentity } from '../../widget/keys.js';
import { signMessage } from '../../widget/signing.js';
import { $$, createRoom, equal, forge, mount, online, shown, unmountAll, until } from './helpers.js';

afterEach(unmountAll);

describe('<tiny-chat> trust across visits', () => {
  it('announces "bob’s key changed" when bob comes back under another key', async () => {
    const room = await createRoom();
    const profile = `trust-${Date.now()}`;
    const bob = await mount({ room, name: 'bob' });
    const first = await mount({ room, name: 'olive', profile });
    await Promise.all([online(bob), online(first)]);
    const said = new Promise<TinyChatMessageDetail>((resolve) =>
      first.addEventListener('tiny-chat-message', (e) => resolve(e.detail), { once: true }),
    );
    bob.sendMessage('hi, bob here');
    const real = (await said).message;
    await until(() => shown(first).length === 1, 'bob’s message');
    equal(
      $$(first, '[part=notice]').filter((n) => n.textContent.includes('key')),
      [],
    );
    first.remove();

    // Someone holding the server's database writes as "bob" under another key.
    const mallory = await generateIdentity('bob');
    const fields = { roomId: room, name: real.name, id: 'swapped-1', ts: Date.now(), text: 'new phone, same bob' };
    await forge(room, {
      ...fields,
      sig: await signMessage(mallory, fields),
      key: { alg: mallory.alg, pub: mallory.pub },
    });

    const again = await mount({ room, profile });
    await online(again);
    await until(() => shown(again).length === 2, 'the history');
    await until(
      () => $$(again, '[part=notice]').some((n) => n.textContent === 'bob’s key changed'),
      'the key-change notice',
    );
    equal(shown(again)[1], ['new phone, same bob', 'false']);
  });

  it('gives each checked message its sender’s fingerprint', async () => {
    const room = await createRoom();
    const el = await mount({ room, name: 'pia' });
    await online(el);
    const seen = new Promise<TinyChatMessageDetail>((resolve) =>
      el.addEventListener('tiny-chat-message', (e) => resolve(e.detail), { once: true }),
    );
    el.sendMessage('mine');
    const detail = await seen;
    equal([detail.verified, detail.fingerprint], [true, await fingerprint(detail.message.key)]);
    equal(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/.test(detail.fingerprint), true);
  });
});
