/// <reference types="mocha" />
/**
 * The outbox kept in IndexedDB, against the real server: a message typed
 * while the server cannot be reached survives a reload and is stored once
 * (even when two tabs restore it), an entry too old for the server's
 * clock-skew window is shown as not sent and a retry stamps it afresh, and
 * dismiss drops one for good.
 */
import type { TinyChatElement, TinyChatMessageDetail } from '../../widget/index.js';
import { generateIdentity, saveIdentity } from '../../widget/keys.js';
import { createOutboxStore, type StoredOutgoing } from '../../widget/outbox-store.js';
import { signMessage } from '../../widget/signing.js';
import { $, $$, assert, createRoom, equal, forge, mount, online, shown, unmountAll, until } from './helpers.js';

afterEach(unmountAll);

let profiles = 0;
const newProfile = (): string => `outbox-${Date.now()}-${profiles++}`;

async function untilAsync(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stored(profile: string, room: string): Promise<StoredOutgoing[]> {
  return createOutboxStore(profile, room).load();
}

/** The client message ids of messages as they arrive. */
function messageIds(el: TinyChatElement): string[] {
  const ids: string[] = [];
  el.addEventListener('tiny-chat-message', (e: CustomEvent<TinyChatMessageDetail>) => ids.push(e.detail.message.id));
  return ids;
}

/**
 * An outbox entry as the widget writes it for a message stamped and signed
 * `ageMs` ago whose frame never reached the server (the page closed first).
 */
async function staleEntry(profile: string, room: string, name: string, text: string, ageMs: number) {
  const identity = await generateIdentity(name);
  await saveIdentity(profile, identity);
  const fields = { roomId: room, name, id: `stale-${profiles++}`, ts: Date.now() - ageMs, text };
  const sig = await signMessage(identity, fields);
  const entry: StoredOutgoing = { ...fields, sig, pub: identity.pub, status: 'queued' };
  await createOutboxStore(profile, room).save([entry]);
  return entry;
}

/** Past the server's default clock-skew window of 5 minutes. */
const TOO_OLD_MS = 10 * 60_000;

describe('<tiny-chat> outbox across reloads', () => {
  it('keeps a message typed while the server is unreachable, and after a reload stores it once with its id', async () => {
    const room = await createRoom();
    const profile = newProfile();
    const watcher = await mount({ room, name: 'wren' });
    await online(watcher);

    const away = await mount({ room, name: 'otto', profile, server: 'http://127.0.0.1:9' });
    await until(() => away.connectionState !== 'setup', 'trying to connect');
    const id = away.sendMessage('typed while offline')!;
    await away.updateComplete;
    equal(
      $$(away, 'li.pending').map((li) => li.dataset['id']),
      [id],
    );
    await untilAsync(async () => (await stored(profile, room)).length === 1, 'the entry in IndexedDB');
    const [entry] = await stored(profile, room);
    equal([entry!.id, entry!.text, entry!.status], [id, 'typed while offline', 'queued']);
    away.remove();

    // The reload, in two tabs at once: both restore the entry and send it, the server keeps one.
    const ids = messageIds(watcher);
    const tab1 = await mount({ room, profile });
    const tab2 = await mount({ room, profile });
    await Promise.all([online(tab1), online(tab2)]);
    await until(() => shown(watcher).length === 1, 'stored');
    await until(() => $$(tab1, 'li.pending').length === 0 && $$(tab2, 'li.pending').length === 0, 'outboxes empty');
    await untilAsync(async () => (await stored(profile, room)).length === 0, 'the stored outbox emptied');
    const late = await mount({ room, name: 'yuki' });
    await online(late);
    await until(() => shown(late).length === 1, 'history');
    equal(shown(late), [['typed while offline', 'true']]);
    equal(
      $$(late, 'li.message[data-seq]').map((li) => li.dataset['seq']),
      ['1'],
    );
    equal(ids, [id], 'stored under the id it was first given');
    equal(tab1.assignedName, 'otto');
  });

  it('shows an entry too old for the clock-skew window as not sent; retry stamps it afresh and stores it once', async () => {
    const room = await createRoom();
    const profile = newProfile();
    const old = await staleEntry(profile, room, 'pax', 'written long ago', TOO_OLD_MS);
    const el = await mount({ room, profile });
    const errors: string[] = [];
    el.addEventListener('tiny-chat-error', (e) => errors.push(e.detail.code));
    await online(el);
    const li = await until(() => $(el, `li.pending[data-id="${old.id}"]`), 'the restored entry');
    await until(() => li.querySelector('.failed')?.textContent === 'not sent: it waited too long', 'shown as not sent');
    equal(shown(el), []);
    const retry = li.querySelector<HTMLButtonElement>('button[part="retry-button"]')!;
    equal([retry.type, retry.textContent.trim()], ['button', 'Retry']);
    const mine = messageIds(el);
    retry.click();
    await until(() => shown(el).length === 1 && $$(el, 'li.pending').length === 0, 'stored after retry');
    equal(shown(el), [['written long ago', 'true']]);
    assert(mine[0] !== undefined && mine[0] !== old.id, 'a new id: the old stamp was never stored');
    equal(errors, [], 'the server refused nothing');
    // Keyboard users keep their place: focus goes back to the message input.
    equal(el.shadowRoot!.activeElement?.id, 'input');
    await untilAsync(async () => (await stored(profile, room)).length === 0, 'the stored outbox emptied');
  });

  it('resends a restored entry that is still fresh with its first id and stamp', async () => {
    const room = await createRoom();
    const profile = newProfile();
    const entry = await staleEntry(profile, room, 'quill', 'stamped a minute ago', 60_000);
    const el = await mount({ room, profile });
    const mine = messageIds(el);
    await online(el);
    await until(() => shown(el).length === 1, 'stored');
    equal(mine, [entry.id]);
    await untilAsync(async () => (await stored(profile, room)).length === 0, 'the stored outbox emptied');
  });

  it('retries a failed entry whose stamp the server can still take with the same id', async () => {
    const room = await createRoom();
    const profile = newProfile();
    const entry = await staleEntry(profile, room, 'sage', 'failed a minute ago', 60_000);
    // As stored after a send failed for good while the stamp was still fresh.
    await createOutboxStore(profile, room).save([{ ...entry, status: 'failed', error: 'internal' }]);
    const el = await mount({ room, profile });
    await online(el);
    const retry = await until(() => $(el, `li.pending[data-id="${entry.id}"] [part="retry-button"]`), 'not sent');
    equal(retry.closest('li')!.querySelector('.failed')!.textContent, 'not sent');
    const ids = messageIds(el);
    retry.click();
    await until(() => shown(el).length === 1, 'stored');
    equal(ids, [entry.id]);
  });

  it('takes a replay answer as proof the entry was stored before its stamp was saved, and drops it', async () => {
    const room = await createRoom();
    const profile = newProfile();
    const identity = await generateIdentity('tove');
    await saveIdentity(profile, identity);
    const key = { alg: identity.alg, pub: identity.pub };
    const first = { roomId: room, name: 'tove', id: 'landed-before-the-tab-closed', ts: Date.now(), text: 'got there' };
    await forge(room, { ...first, sig: await signMessage(identity, first), key });
    // Enough later messages that the join's history page does not show it.
    for (let i = 0; i < 50; i++) {
      const fields = { ...first, id: `later-${i}`, text: `later ${i}` };
      await forge(room, { ...fields, sig: await signMessage(identity, fields), key });
    }
    await createOutboxStore(profile, room).save([{ id: first.id, text: first.text, status: 'queued' }]);
    const el = await mount({ room, profile });
    const errors: string[] = [];
    el.addEventListener('tiny-chat-error', (e) => errors.push(e.detail.code));
    await online(el);
    await untilAsync(async () => (await stored(profile, room)).length === 0, 'the stored outbox emptied');
    await until(() => $$(el, 'li.pending').length === 0, 'nothing pending');
    equal(errors, []);
    equal(shown(el).length, 50);
  });

  it('dismiss drops a message that was not sent, from the list and from IndexedDB', async () => {
    const room = await createRoom();
    const profile = newProfile();
    const old = await staleEntry(profile, room, 'rhea', 'never mind', TOO_OLD_MS);
    const el = await mount({ room, profile });
    await online(el);
    // until() throws when the failed entry is never shown.
    await until(() => $(el, `li.pending[data-id="${old.id}"] .failed`), 'not sent');
    const dismiss = $(el, 'button[part="dismiss-button"]')!;
    equal(dismiss.textContent.trim(), 'Dismiss');
    dismiss.click();
    await until(() => $$(el, 'li.pending').length === 0, 'gone from the list');
    await untilAsync(async () => (await stored(profile, room)).length === 0, 'gone from IndexedDB');
    el.remove();
    const again = await mount({ room, profile });
    await online(again);
    await again.updateComplete;
    equal([$$(again, 'li.pending').length, shown(again).length], [0, 0]);
  });
});
