/// <reference types="mocha" />
/**
 * Sign-in from the host page against the real server and a real OpenID
 * provider: the `token` property and the `getToken()` callback for joining and
 * creating, asking once more when a token is refused (never looping), and the
 * plain-words error when a room needs sign-in and there is no token.
 */
import type { TinyChatTokenNeededDetail } from '../../widget/index.js';
import { loadIdentity } from '../../widget/keys.js';
import {
  $,
  assert,
  createRoom,
  createSignedInRoom,
  equal,
  mount,
  moveServerClock,
  online,
  signInToken,
  storedRoom,
  unmountAll,
  until,
} from './helpers.js';

/** The provider's access token lifetime (test/helpers/oidc.ts TOKEN_TTL_S) plus a margin. */
const PAST_TOKEN_LIFETIME_MS = (600 + 60) * 1000;
const OTHER_AUDIENCE = 'urn:other-api';

afterEach(async () => {
  unmountAll();
  await moveServerClock(0);
});

function errorText(el: HTMLElement & { shadowRoot: ShadowRoot | null }): string | undefined {
  return el.shadowRoot!.querySelector('[part="error"]')?.textContent ?? undefined;
}

describe('<tiny-chat> sign-in', () => {
  it('joins a sign-in-only room with the token property, under the name from the token', async () => {
    const token = await signInToken('user-2');
    const room = await createSignedInRoom(token, true);
    const el = await mount({ room }, { token });
    await online(el);
    equal(el.assignedName, 'Name of user-2');
    assert(!$(el, 'input#name'), 'no name prompt when signed in');
    equal($(el, 'footer bdi')!.textContent, 'Name of user-2');
  });

  it('asks getToken again when the token has expired, and the retry joins', async () => {
    const room = await createSignedInRoom(await signInToken('user-3'), true);
    const asked: (string | undefined)[] = [];
    const needed: string[] = [];
    const el = await mount(
      { room },
      {
        getToken: async (refused) => {
          asked.push(refused);
          const token = await signInToken('user-3');
          // The first token is expired by the time the server checks it, as if the tab had slept past it.
          await moveServerClock(refused ? 0 : PAST_TOKEN_LIFETIME_MS);
          return token;
        },
      },
    );
    el.addEventListener('tiny-chat-token-needed', (e) => needed.push(e.detail.code));
    await online(el);
    equal(asked, [undefined, 'token-expired']);
    equal(needed, ['token-expired']);
    equal(el.assignedName, 'Name of user-3');
  });

  it('asks getToken again after a token for another audience, and the retry joins', async () => {
    const room = await createSignedInRoom(await signInToken('user-4'), true);
    const asked: (string | undefined)[] = [];
    const el = await mount(
      { room },
      {
        getToken: (refused) => {
          asked.push(refused);
          return signInToken('user-4', refused ? undefined : OTHER_AUDIENCE);
        },
      },
    );
    await online(el);
    equal(asked, [undefined, 'token-audience']);
    equal(el.assignedName, 'Name of user-4');
  });

  it('asks only once more when every token is refused, then stops with plain words', async () => {
    const room = await createSignedInRoom(await signInToken('user-5'), true);
    const asked: (string | undefined)[] = [];
    const el = await mount(
      { room },
      {
        getToken: (refused) => {
          asked.push(refused);
          return signInToken('user-5', OTHER_AUDIENCE);
        },
      },
    );
    await until(() => el.connectionState === 'closed', 'closed');
    equal(asked, [undefined, 'token-audience']);
    equal(errorText(el), 'The chat server did not accept your sign-in.');
  });

  it('does not keep the signed-in placeholder as the wished name: the profile asks for a name in an open room', async () => {
    const token = await signInToken('user-2');
    const room = await createSignedInRoom(token, true);
    const profile = `placeholder-${Date.now()}`;
    const el = await mount({ room, profile }, { token });
    await online(el);
    equal(el.assignedName, 'Name of user-2');
    equal((await loadIdentity(profile))?.name, '');
    el.remove();

    const open = await createRoom();
    const later = await mount({ room: open, profile });
    await until(() => $(later, 'input#name'), 'the name prompt');
    equal(later.connectionState, 'setup');
  });

  it('says in plain words that sign-in is needed when it has no token, and joins once given one', async () => {
    const room = await createSignedInRoom(await signInToken('user-6'), true);
    const needed: TinyChatTokenNeededDetail[] = [];
    const el = await mount({ room, name: 'zed' });
    el.addEventListener('tiny-chat-token-needed', (e) => needed.push(e.detail));
    await until(() => el.connectionState === 'closed', 'closed');
    equal(errorText(el), 'This room is for signed-in people only. Sign in to join.');
    equal(needed, [{ code: 'auth-required' }]);

    el.token = await signInToken('user-6');
    await online(el);
    equal(el.assignedName, 'Name of user-6');
    equal(errorText(el), undefined);
  });

  it('asks getToken again at every reconnect and joins with the new token', async () => {
    const room = await createSignedInRoom(await signInToken('user-7'), true);
    const given: string[] = [];
    const joinedWith: (string | undefined)[] = [];
    // Watch the join frames on the real socket (sent as they are, only read here).
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with call(this) below
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data) {
      const frame = typeof data === 'string' ? (JSON.parse(data) as { type: string; token?: string }) : undefined;
      if (frame?.type === 'join') joinedWith.push(frame.token);
      send.call(this, data);
    };
    try {
      const el = await mount(
        { room },
        {
          getToken: async () => {
            const token = await signInToken('user-7');
            given.push(token);
            return token;
          },
        },
      );
      await online(el);
      dispatchEvent(new Event('offline'));
      await until(() => el.connectionState === 'offline', 'offline');
      dispatchEvent(new Event('online'));
      await until(() => given.length === 2 && el.connectionState === 'online', 'joined again');
      equal(joinedWith, given);
      assert(given[0] !== given[1], 'a new token for the reconnect');
      equal(el.assignedName, 'Name of user-7');
    } finally {
      WebSocket.prototype.send = send;
    }
  });

  it('creates a sign-in-only room with the bearer token: the signed-in user owns it', async () => {
    const el = await mount({ 'room-param': '' }, { getToken: () => signInToken('user-8') });
    const box = await until(() => $(el, '.empty input[type="checkbox"]') as HTMLInputElement | null, 'checkbox');
    assert(box.checked, 'sign-in only by default when signed in');
    $(el, '.empty button')!.click();
    await online(el);
    const stored = await storedRoom(el.room!);
    equal(stored.status, 'live');
    assert(stored.creator?.endsWith(' user-8'), `creator ${stored.creator}`);
    equal(stored.requireAuth, true);
    equal(el.assignedName, 'Name of user-8');
  });

  it('creating with a refused token asks once more; an open room when unticked', async () => {
    const asked: (string | undefined)[] = [];
    const el = await mount(
      { 'room-param': '' },
      {
        getToken: (refused) => {
          asked.push(refused);
          return signInToken('user-9', asked.length === 1 ? OTHER_AUDIENCE : undefined);
        },
      },
    );
    const box = await until(() => $(el, '.empty input[type="checkbox"]') as HTMLInputElement | null, 'checkbox');
    box.click();
    await el.updateComplete;
    $(el, '.empty button')!.click();
    await online(el);
    equal(asked.slice(0, 2), [undefined, 'token-audience']);
    const stored = await storedRoom(el.room!);
    assert(stored.creator?.endsWith(' user-9'), `creator ${stored.creator}`);
    equal(stored.requireAuth, false);
  });
});
