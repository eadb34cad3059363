/// <reference types="mocha" />
/**
 * The room's hash chain in the widget (chain-check.ts): a message whose link
 * does not extend the one before it is shown unverified, like a bad
 * signature, live and when an earlier page arrives; and after the server's
 * storage went back under a running server, the widget says in plain words
 * that the history changed and keeps, marked, what is no longer in the room.
 */
import { chainLink, genesisLink } from '../../protocol/chain.js';
import type { ChatMessage } from '../../protocol/frames.js';
import { generateIdentity, publicKeyOf } from '../../widget/keys.js';
import { Members } from '../../widget/members.js';
import { signMessage } from '../../widget/signing.js';
import { Timeline } from '../../widget/timeline.js';
import {
  $$,
  createRoom,
  equal,
  markStorage,
  mount,
  online,
  restoreStorage,
  shown,
  unmountAll,
  until,
} from './helpers.js';

afterEach(unmountAll);

const ROOM = 'Xq3vYk9TfB2mWcLr7HsJdA';
const CREATED = 1_763_999_990_000;

/** Three signed messages of one room, each linked to the one before it, from the genesis link. */
async function chainedMessages(): Promise<ChatMessage[]> {
  const ann = await generateIdentity('ann');
  let prev = await genesisLink(ROOM, CREATED);
  const out: ChatMessage[] = [];
  for (let seq = 1; seq <= 3; seq++) {
    const fields = { roomId: ROOM, name: 'ann', id: `m${seq}`, ts: CREATED + seq, text: `text ${seq}` };
    const record = { ...fields, seq, sig: await signMessage(ann, fields), key: publicKeyOf(ann) };
    const chain = await chainLink(prev, record);
    out.push({
      seq,
      id: record.id,
      name: 'ann',
      ts: record.ts,
      text: record.text,
      sig: record.sig,
      key: record.key,
      at: record.ts,
      chain,
    });
    prev = chain;
  }
  return out;
}

function timeline(): Timeline {
  const t = new Timeline({
    roomId: ROOM,
    members: new Members(() => undefined),
    changed: () => undefined,
    checked: () => undefined,
    other: () => Promise.resolve(false),
  });
  t.created(CREATED);
  return t;
}

const verdicts = (t: Timeline): (boolean | undefined)[] => t.messages.map((e) => e.verified);

describe('<tiny-chat> chain checks', () => {
  it('shows a message whose link does not extend the one before it as unverified', async () => {
    const [m1, m2, m3] = (await chainedMessages()) as [ChatMessage, ChatMessage, ChatMessage];
    const good = timeline();
    good.append([m1, m2, m3]);
    await until(() => verdicts(good).every((v) => v !== undefined), 'checks');
    equal(verdicts(good), [true, true, true]);

    // Message 3 as a server that dropped message 2 would have to present it: linked straight to message 1.
    const relinked = { ...m3, seq: 2, chain: m3.chain };
    const broken = timeline();
    broken.append([m1, relinked]);
    await until(() => verdicts(broken).every((v) => v !== undefined), 'checks');
    equal(verdicts(broken), [true, false]);

    // Message 1 must extend the genesis link of this room, not of another.
    const elsewhere = new Timeline({
      roomId: ROOM,
      members: new Members(() => undefined),
      changed: () => undefined,
      checked: () => undefined,
      other: () => Promise.resolve(false),
    });
    elsewhere.created(CREATED + 1);
    elsewhere.append([m1]);
    await until(() => verdicts(elsewhere).every((v) => v !== undefined), 'checks');
    equal(verdicts(elsewhere), [false]);
  });

  it('checks the link of the oldest shown message once an earlier page brings its predecessor', async () => {
    const [m1, m2, m3] = (await chainedMessages()) as [ChatMessage, ChatMessage, ChatMessage];
    const t = timeline();
    t.append([{ ...m3, chain: m2.chain }]);
    await until(() => verdicts(t).every((v) => v !== undefined), 'checks');
    // Nothing before it is held yet: its signature is all that can be checked.
    equal(verdicts(t), [true]);
    t.prepend({ type: 'history', before: 3, messages: [m1, m2], firstSeq: 1 });
    await until(() => verdicts(t)[2] === false, 'the recheck of message 3');
    await until(() => verdicts(t).every((v) => v !== undefined), 'checks');
    equal(verdicts(t), [true, true, false]);
  });

  it('says the history changed when storage went back, and marks what is no longer in the room', async () => {
    const room = await createRoom();
    const olga = await mount({ room, name: 'olga' });
    await online(olga);
    for (const [i, text] of ['one', 'two'].entries()) {
      olga.sendMessage(text);
      await until(() => shown(olga).length === i + 1 && shown(olga)[i]![1] === 'true', text);
    }
    const mark = await markStorage();
    olga.sendMessage('three');
    await until(() => shown(olga).length === 3 && shown(olga)[2]![1] === 'true', 'three');

    // A backup from before "three" is restored under the running server; the next message reuses its seq.
    await restoreStorage(mark);
    olga.sendMessage('four');
    const notice = await until(
      () => $$(olga, '[part=notice]').find((n) => n.textContent.includes('history changed')),
      'the notice that the history changed',
    );
    equal(notice.textContent, 'The room’s history changed on the server. The message marked below is gone from it.');
    await until(
      () => shown(olga).length === 4 && shown(olga).every(([, v]) => v !== 'undefined'),
      'the new snapshot, checked',
    );
    equal(shown(olga), [
      ['three', 'true'],
      ['one', 'true'],
      ['two', 'true'],
      ['four', 'true'],
    ]);
    equal(
      $$(olga, 'li.message[data-gone]').map((li) => [
        li.querySelector('.text')!.textContent,
        li.querySelector('.gone')!.textContent,
      ]),
      [['three', 'no longer in the room']],
    );
  });
});
