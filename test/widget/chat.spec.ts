/// <reference types="mocha" />
/**
 * The element against the real server: identity across reloads, verified and
 * tampered messages, the counter, hostile text, the offline outbox, events,
 * strings and theme.
 */
import { codePointLength } from '../../protocol/text.js';
import type { TinyChatMessageDetail, TinyChatReadyDetail } from '../../widget/index.js';
import { generateIdentity, loadIdentity, saveIdentity } from '../../widget/keys.js';
import { signMessage } from '../../widget/signing.js';
import { $, $$, assert, createRoom, equal, forge, mount, online, shown, type, unmountAll, until } from './helpers.js';

afterEach(unmountAll);

describe('<tiny-chat> with a real server', () => {
  it('keeps its key and name across a reload (a new element on the same profile)', async () => {
    const room = await createRoom();
    const first = await mount({ room, name: 'carol', profile: 'reload-spec' });
    const ready = await new Promise<TinyChatReadyDetail>((resolve) =>
      first.addEventListener('tiny-chat-ready', (e) => resolve(e.detail), { once: true }),
    );
    equal([ready.roomId, ready.name], [room, 'carol']);
    first.remove();

    const again = await mount({ room, profile: 'reload-spec' });
    const readyAgain = await new Promise<TinyChatReadyDetail>((resolve) =>
      again.addEventListener('tiny-chat-ready', (e) => resolve(e.detail), { once: true }),
    );
    equal([readyAgain.name, readyAgain.fingerprint], ['carol', ready.fingerprint]);
    assert(!$(again, 'input#name'), 'no name prompt after reload');
    equal($(again, 'footer code')!.textContent, ready.fingerprint);
  });

  it('asks for a name when it has none, then joins with it', async () => {
    const room = await createRoom();
    const el = await mount({ room });
    const input = await until(() => $(el, 'input#name') as HTMLInputElement | null, 'name prompt');
    input.value = 'frank';
    $(el, 'form.name button')!.click();
    await online(el);
    equal(el.assignedName, 'frank');
  });

  it('offers to create a room when it has none, and shows the link to share', async () => {
    const el = await mount({ name: 'gina', 'room-param': '' });
    const button = await until(() => $(el, '.empty button'), 'create button');
    equal(button.textContent.trim(), 'Create a room');
    button.click();
    await online(el);
    assert(/^[A-Za-z0-9_-]{22}$/.test(el.room ?? ''), 'got a room id');
    // The new room is empty: its welcome carries the link.
    const share = await until(() => $(el, '.welcome #share') as HTMLAnchorElement | null, 'the share link');
    equal(share.href, location.href.replace(/#.*$/, ''));
  });

  it('verifies every signature; both sides see the same messages and members with fingerprints', async () => {
    const room = await createRoom();
    const a = await mount({ room, name: 'hana' });
    await online(a);
    const b = await mount({ room, name: 'ivan' });
    await online(b);
    // until() throws when the join is never shown.
    await until(() => a.shadowRoot!.textContent.includes('ivan'), 'ivan in the list');
    const events: TinyChatMessageDetail[] = [];
    b.addEventListener('tiny-chat-message', (e) => events.push(e.detail));
    a.sendMessage('one');
    b.sendMessage('two 👋');
    await until(() => shown(a).length === 2 && shown(b).length === 2 && shown(b).every(([, v]) => v === 'true'), 'two');
    equal(shown(a), shown(b));
    equal(events.map((e) => [e.message.text, e.verified, e.own]).sort(), [
      ['one', true, false],
      ['two 👋', true, true],
    ]);
    const members = $$(a, '[part=member]');
    equal(members.length, 2);
    for (const m of members) assert(/[0-9a-f]{4}( [0-9a-f]{4}){3}/.test(m.textContent), 'member fingerprint');
    equal(
      $$(a, '[part=member] bdi')
        .map((n) => n.textContent)
        .sort(),
      ['hana', 'ivan'],
    );
    const left = new Promise<string>((resolve) => a.addEventListener('tiny-chat-leave', (e) => resolve(e.detail.name)));
    b.remove();
    equal(await left, 'ivan');
  });

  it('flags a tampered message and a message under another key as unverified', async () => {
    const room = await createRoom();
    const a = await mount({ room, name: 'jane' });
    const first = new Promise<TinyChatMessageDetail>((resolve) =>
      a.addEventListener('tiny-chat-message', (e) => resolve(e.detail), { once: true }),
    );
    await online(a);
    a.sendMessage('pay 10 to jane');
    const real = (await first).message;
    await forge(room, {
      id: 'forged-1',
      name: real.name,
      ts: real.ts,
      text: 'pay 1000 to mallory',
      sig: real.sig,
      key: real.key,
    });
    const mallory = await generateIdentity('jane');
    const fields = { roomId: room, name: 'jane', id: 'forged-2', ts: Date.now(), text: 'signed by another key' };
    await forge(room, {
      ...fields,
      sig: await signMessage(mallory, fields),
      key: { alg: mallory.alg, pub: mallory.pub },
    });

    const b = await mount({ room, name: 'kim' });
    await until(() => shown(b).length === 3 && shown(b).every(([, v]) => v !== 'undefined'), 'checked history');
    equal(shown(b), [
      ['pay 10 to jane', 'true'],
      ['pay 1000 to mallory', 'false'],
      ['signed by another key', 'false'],
    ]);
    equal($$(b, '.unverified').length, 2);
    equal($$(b, '.unverified')[0]!.textContent, 'unverified');
  });

  it('counts code points like the server, and the server takes exactly the limit', async () => {
    const room = await createRoom();
    const el = await mount({ room, name: 'lena' });
    await online(el);
    const max = 1000;
    const samples = ['', 'abc', '👋', 'é', 'e\u0301', '👩‍💻', '𝒳𝒴'];
    for (const s of samples) {
      await type(el, s);
      equal($(el, '[part=counter]')!.textContent, `${codePointLength(s)}/${max}`, s);
    }
    await type(el, '👋'.repeat(max));
    equal($(el, '[part=counter]')!.textContent, `${max}/${max}`);
    assert(!($(el, '[part=send-button]') as HTMLButtonElement).disabled, 'limit is allowed');
    await type(el, '👋'.repeat(max + 1));
    assert($(el, '[part=counter]')!.classList.contains('over'), 'over the limit is marked');
    assert(($(el, '[part=send-button]') as HTMLButtonElement).disabled, 'over the limit cannot be sent');
    await type(el, '👋'.repeat(max));
    ($(el, '[part=send-button]') as HTMLButtonElement).click();
    await until(() => shown(el).length === 1, 'stored');
    equal(codePointLength(shown(el)[0]![0]), max);
  });

  it('renders hostile text as text; only http(s) links become links; names are isolated', async () => {
    const room = await createRoom();
    const el = await mount({ room, name: 'مريم' });
    await online(el);
    const hostile = [
      '<img src=x onerror="window.__pwned=1">',
      '<script>window.__pwned=2</script>',
      'javascript:alert(1) and data:text/html,<b>x</b>',
      '${"<b>"} {{7*7}} &lt;b&gt; \u202Egnp.exe',
      'visit https://example.org/a?b=<c> now',
    ];
    for (const h of hostile) el.sendMessage(h);
    await until(() => shown(el).length === hostile.length, 'all shown');
    equal(
      shown(el).map(([t]) => t),
      hostile,
    );
    const list = $(el, '[part=messages]')!;
    equal(list.querySelectorAll('img, script, b').length, 0);
    equal(
      [...list.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      ['https://example.org/a?b='],
    );
    assert(!('__pwned' in window), 'nothing ran');
    equal($$(el, '.message .name').map((n) => n.tagName)[0], 'BDI');
    equal($(el, 'footer bdi')!.textContent, 'مريم');
  });

  it('queues messages while offline and sends them once after reconnecting, with the same ids', async () => {
    const room = await createRoom();
    const a = await mount({ room, name: 'milo' });
    await online(a);
    const watcher = await mount({ room, name: 'nora' });
    await online(watcher);
    a.sendMessage('before');
    await until(() => shown(watcher).length === 1, 'before');

    // Sent, then the network drops before the ack: the resend must not duplicate.
    const inFlight = a.sendMessage('in flight')!;
    dispatchEvent(new Event('offline'));
    await until(() => a.connectionState === 'offline', 'offline');
    const queued = a.sendMessage('while offline')!;
    await a.updateComplete;
    equal(
      $$(a, 'li.pending').map((li) => li.dataset['id']),
      [inFlight, queued],
    );
    equal($(a, '[part=status]')!.textContent, 'Offline: reconnecting…');
    dispatchEvent(new Event('online'));
    await online(a);
    await until(() => shown(watcher).length === 3 && shown(a).length === 3, 'after reconnect');
    equal(shown(a), shown(watcher));
    equal(
      shown(a).map(([t]) => t),
      ['before', 'in flight', 'while offline'],
    );
    await until(() => $$(a, 'li.pending').length === 0, 'outbox empty');
    const seqs = $$(watcher, 'li.message[data-seq]').map((li) => Number(li.dataset['seq']));
    equal(seqs, [1, 2, 3]);
  });

  it('shows server errors in plain words and fires tiny-chat-error', async () => {
    const el = await mount({ room: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'olga' });
    const error = await new Promise<{ code: string; message: string }>((resolve) =>
      el.addEventListener('tiny-chat-error', (e) => resolve(e.detail), { once: true }),
    );
    equal(error, { code: 'room-not-found', message: 'There is no such room.', temporary: false });
    await el.updateComplete;
    equal($(el, '[part=error]')!.textContent, 'There is no such room.');
    equal(el.connectionState, 'closed');
  });

  it('joins and signs with an ES256 key, the fallback for browsers without Ed25519', async () => {
    const room = await createRoom();
    await saveIdentity('es256-spec', await generateIdentity('sami', 'ES256'));
    const el = await mount({ room, profile: 'es256-spec' });
    await online(el);
    el.sendMessage('signed with P-256');
    await until(() => shown(el).length === 1 && shown(el)[0]![1] !== 'undefined', 'checked');
    equal(shown(el), [['signed with P-256', 'true']]);
  });

  it('"new identity" makes a new key, kept for the next reload', async () => {
    const room = await createRoom();
    const el = await mount({ room, name: 'tara', profile: 'new-identity-spec' });
    await online(el);
    const before = (await loadIdentity('new-identity-spec'))!.pub;
    await el.newIdentity();
    await online(el);
    const after = (await loadIdentity('new-identity-spec'))!.pub;
    assert(after !== before, 'a new key');
    // The old key still holds "tara" in this room, so the new person gets a variant.
    equal(el.assignedName, 'tara-2');
  });

  it('pages back through older history on request, verifying each message', async () => {
    const room = await createRoom();
    const a = await mount({ room, name: 'vera' });
    await online(a);
    for (let i = 1; i <= 55; i++) a.sendMessage(`m${i}`);
    await until(() => shown(a).length === 55, '55 stored');
    const b = await mount({ room, name: 'will' });
    await online(b);
    await until(() => shown(b).length === 50, 'the join snapshot');
    equal(shown(b)[0]![0], 'm6');
    const earlier = await until(() => $(b, 'button.earlier'), 'the earlier button');
    equal(earlier.textContent, 'Show earlier messages');
    earlier.click();
    await until(() => shown(b).length === 55 && shown(b).every(([, v]) => v === 'true'), 'all 55, verified');
    equal(
      shown(b).map(([t]) => t),
      Array.from({ length: 55 }, (_, i) => `m${i + 1}`),
    );
    await b.updateComplete;
    equal($(b, 'button.earlier'), null);
  });

  it('says so in plain words when the server cannot be reached', async () => {
    const el = document.createElement('tiny-chat');
    // A port nothing listens on: the discard port on loopback.
    el.setAttribute('server', 'http://127.0.0.1:9');
    el.setAttribute('room', 'AAAAAAAAAAAAAAAAAAAAAA');
    el.setAttribute('name', 'uma');
    el.setAttribute('profile', 'unreachable-spec');
    const error = new Promise<{ code: string; message: string; temporary: boolean }>((resolve) =>
      el.addEventListener('tiny-chat-error', (e) => resolve(e.detail), { once: true }),
    );
    document.body.append(el);
    equal(await error, { code: 'cannot-connect', message: 'Cannot connect to the chat server.', temporary: true });
    equal(el.connectionState, 'offline');
  });

  it('takes UI strings from the host and lets the host force a theme', async () => {
    const el = await mount({ name: 'pia', 'room-param': '' });
    el.strings = { createRoom: 'Raum erstellen', noRoom: 'Noch kein Raum.' };
    await el.updateComplete;
    equal($(el, '.empty button')!.textContent.trim(), 'Raum erstellen');
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    // The colours are on the inner box: the host element itself is reset (all: initial).
    const box = $(el, '.base')!;
    equal(getComputedStyle(box).backgroundColor, 'rgb(22, 25, 29)');
    el.setAttribute('theme', 'light');
    equal(getComputedStyle(box).backgroundColor, 'rgb(255, 255, 255)');
    el.style.setProperty('--tiny-chat-bg', 'rgb(1, 2, 3)');
    equal(getComputedStyle(box).backgroundColor, 'rgb(1, 2, 3)');
  });
});
