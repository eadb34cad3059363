/**
 * examples/sso/ end to end: headless Chromium signs in at a real oidc-provider
 * (authorization code with PKCE, the provider's own login and consent pages),
 * the page creates a sign-in-only room on a real tiny-chat server, and the
 * <tiny-chat> it then shows joins that room with the token from getToken(),
 * under the name the provider vouches for.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHAT_AUDIENCE, startProvider } from '../helpers/oidc.js';
import { startServer } from '../helpers/server.js';
import { launch } from './browser.js';

const EXAMPLE = new URL('../../examples/sso/', import.meta.url);
const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', json: 'application/json' };

/** The chat server address examples/sso/ ships with, in config.json and in index.html's script-src. */
const SHIPPED_CHAT_SERVER = 'http://localhost:8080';

/**
 * Serves examples/sso/ as it ships, except that config.json and the CSP's
 * script-src point at the servers of this test.
 */
async function servePage(config: { chatServer: string }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
    if (!/^[a-z]+\.(html|js|json)$/.test(path)) {
      res.writeHead(404).end();
      return;
    }
    const body =
      path === 'config.json'
        ? Promise.resolve(JSON.stringify(config))
        : path === 'index.html'
          ? readFile(new URL(path, EXAMPLE), 'utf8').then((html) =>
              html.replaceAll(SHIPPED_CHAT_SERVER, config.chatServer),
            )
          : readFile(new URL(path, EXAMPLE));
    body.then(
      (data) => res.writeHead(200, { 'content-type': TYPES[path.split('.')[1]!]! }).end(data),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

test('the SSO example signs in with PKCE, creates a sign-in-only room and chats in it under the signed-in name', async () => {
  // The page's address must be known before the provider registers it as a redirect URI.
  const config = { issuer: '', clientId: 'tiny-chat-example', resource: CHAT_AUDIENCE, chatServer: '' };
  const page = await servePage(config);
  const idp = await startProvider({ publicClients: [{ client_id: 'tiny-chat-example', redirect_uris: [page.url] }] });
  const chat = await startServer({
    oidc: [{ issuer: idp.issuer, audience: CHAT_AUDIENCE }],
    anonymousRoomsPerIp: 0,
    demo: true, // serves the widget script the page loads
  });
  config.issuer = idp.issuer;
  config.chatServer = chat.url;
  let browser: Browser | undefined;
  try {
    browser = await launch();
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    // The widget script from the chat server must pass the page's CSP (the provider's own pages
    // log unrelated misses, such as a favicon, so only CSP reports count).
    tab.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) errors.push(m.text());
    });
    await tab.goto(page.url);
    await tab.locator('#sign-in').click();
    // The provider's own login and consent pages (oidc-provider's development interactions).
    await tab.locator('input[name="login"]').fill('alice');
    await tab.locator('input[name="password"]').fill('any');
    await tab.locator('button[type="submit"]').click();
    await tab.locator('button[type="submit"]').click();
    // Back on the page, which trades the code for a token and says who signed in.
    await tab
      .waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Signed in'), undefined, {
        timeout: 10_000,
      })
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nat ${tab.url()}:\n${(await tab.content()).slice(0, 2000)}`);
      });
    assert.is(await tab.locator('#status').textContent(), 'Signed in as Name of alice.');
    assert.not.match(tab.url(), /code=/);
    await tab.locator('#create').click();
    await tab.locator('#room').waitFor();
    const roomId = (await tab.locator('#room-id').textContent()) ?? '';
    const found = await chat.storage.getRoom(roomId, chat.clock.now());
    assert.is(found.status, 'live');
    if (found.status === 'live') {
      assert.is(found.room.creator, `${idp.issuer} alice`);
      assert.is(found.room.requireAuth, true);
    }
    // The widget joined the room with the token: the server named it after the identity.
    await tab.waitForFunction(() => document.querySelector('tiny-chat')?.connectionState === 'online', undefined, {
      timeout: 10_000,
    });
    assert.is(await tab.evaluate(() => document.querySelector('tiny-chat')?.assignedName), 'Name of alice');
    assert.is(await tab.locator('tiny-chat footer bdi').textContent(), 'Name of alice');
    const members = await tab.locator('tiny-chat [part="member"]').allTextContents();
    assert.ok(
      members.some((m) => m.includes('Name of alice')),
      members.join(),
    );
    assert.equal(errors, []);
  } finally {
    await browser?.close();
    await chat.stop();
    await idp.stop();
    page.server.close();
  }
});

test.run();
