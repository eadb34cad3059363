/**
 * Browser-side helpers for the component tests: the real server's address,
 * rooms, mounting elements, and waiting for what the element shows.
 */
import type { ChatMessage, PublicKey } from '../../protocol/frames.js';
import '../../widget/index.js';
import type { TinyChatElement } from '../../widget/index.js';

let serverUrl: Promise<string> | undefined;

export function server(): Promise<string> {
  serverUrl ??= fetch('/__tiny-chat__/server')
    .then((r) => r.json() as Promise<{ url: string }>)
    .then((j) => j.url);
  return serverUrl;
}

export async function createRoom(): Promise<string> {
  const res = await fetch(new URL('/rooms', await server()), { method: 'POST' });
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

/** Writes a message into storage directly, skipping every server check. */
export async function forge(roomId: string, message: Omit<ChatMessage, 'seq' | 'at' | 'chain'>): Promise<void> {
  const res = await fetch('/__tiny-chat__/forge', { method: 'POST', body: JSON.stringify({ roomId, message }) });
  const result = (await res.json()) as { status: string };
  if (result.status !== 'stored') throw new Error(`forge: ${result.status}`);
}

/** Storage's state now, for `restoreStorage`. */
export async function markStorage(): Promise<number> {
  return ((await (await fetch('/__tiny-chat__/mark', { method: 'POST' })).json()) as { mark: number }).mark;
}

/** Puts the server's storage back to what it held at `mark`, under the running server (a restored backup). */
export async function restoreStorage(mark: number): Promise<void> {
  await fetch('/__tiny-chat__/restore', { method: 'POST', body: JSON.stringify({ mark }) });
}

/** An access token for `user` (user-1 … user-9) from the real OpenID provider; another audience when asked. */
export async function signInToken(user: string, resource?: string): Promise<string> {
  const query = new URLSearchParams({ user, ...(resource ? { resource } : {}) });
  const res = await fetch(`/__tiny-chat__/token?${query.toString()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Creates a room over REST as the holder of `token`. */
export async function createSignedInRoom(token: string, requireAuth: boolean): Promise<string> {
  const res = await fetch(new URL('/rooms', await server()), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requireAuth }),
  });
  if (res.status !== 201) throw new Error(`create room: ${res.status}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

/**
 * Joins these names to the room over real sockets (from the test server's side), or with `leave` closes them;
 * resolves once the server's member list has taken the change in, so that a welcome after it pages from that list.
 */
export async function crowd(roomId: string, names: readonly string[], leave = false): Promise<string[]> {
  const res = await fetch('/__tiny-chat__/crowd', { method: 'POST', body: JSON.stringify({ roomId, names, leave }) });
  return ((await res.json()) as { joined: string[] }).joined;
}

/** A room owned by a key the test server holds, joined there as `boss`; its id and the owner's key. */
export async function ownedRoom(): Promise<{ roomId: string; key: PublicKey }> {
  return (await fetch('/__tiny-chat__/owned', { method: 'POST' })).json() as Promise<{
    roomId: string;
    key: PublicKey;
  }>;
}

/** Has the owner of an ownedRoom() sign and send `action`; the server's answer (`ack` or `error`). */
export async function ownerActs(roomId: string, action: object): Promise<{ type: string; code?: string }> {
  const res = await fetch('/__tiny-chat__/moderate', { method: 'POST', body: JSON.stringify({ roomId, action }) });
  return res.json() as Promise<{ type: string; code?: string }>;
}

/** Moves the server's clock this far ahead of real time (0 puts it back). */
export async function moveServerClock(offsetMs: number): Promise<void> {
  await fetch('/__tiny-chat__/clock', { method: 'POST', body: JSON.stringify({ offsetMs }) });
}

/** The room as stored on the server: the quota holder (`creator`), and who owns and moderates it. */
export async function storedRoom(id: string): Promise<{
  status: string;
  creator?: string;
  requireAuth?: boolean;
  staff?: { owner: PublicKey | null; moderators: PublicKey[] };
}> {
  return (await fetch(`/__tiny-chat__/room?id=${id}`)).json() as Promise<{ status: string }>;
}

let profiles = 0;

/** A fresh identity per call unless a profile is given; `props` are set before the element is connected. */
export async function mount(
  attrs: Record<string, string>,
  props: Partial<Pick<TinyChatElement, 'token' | 'getToken'>> = {},
): Promise<TinyChatElement> {
  const el = document.createElement('tiny-chat');
  el.setAttribute('server', await server());
  el.setAttribute('profile', `p${Date.now()}-${profiles++}`);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.append(el);
  return el;
}

export function unmountAll(): void {
  for (const el of document.querySelectorAll('tiny-chat')) el.remove();
}

export async function until<T>(
  check: () => T | undefined | false | null,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function $(el: TinyChatElement, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

export function $$(el: TinyChatElement, selector: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

export function online(el: TinyChatElement): Promise<true> {
  return until(() => el.connectionState === 'online', 'online');
}

/** The shown, sequenced messages: [text, verified]. */
export function shown(el: TinyChatElement): [string, string][] {
  return $$(el, 'li.message[data-seq]').map((li) => [li.querySelector('.text')!.textContent, li.dataset['verified']!]);
}

export async function type(el: TinyChatElement, text: string): Promise<void> {
  const area = $(el, 'textarea') as HTMLTextAreaElement;
  area.value = text;
  area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function equal(actual: unknown, expected: unknown, message = ''): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}\n  actual:   ${a}\n  expected: ${e}`);
}
