/* global window, crypto, sessionStorage, fetch, TextEncoder, URLSearchParams, btoa, atob */
/**
 * Signs in with OpenID Connect (authorization code flow with PKCE, as a
 * public client: no secret lives in the page), then creates a tiny-chat room
 * that only signed-in people can join and shows a <tiny-chat> in it, which
 * gets the token through getToken(). The access token stays in memory.
 *
 * config.json next to this file names the issuer, the client id registered
 * there for this page, the resource (audience) the chat server expects, and
 * the chat server.
 */

const $ = (id) => document.getElementById(id);
const redirectUri = new URL('./', window.location.href).href;
let accessToken;

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function discover(issuer) {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`discovery failed: ${res.status}`);
  return res.json();
}

async function signIn(config, meta) {
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem('tiny-chat-sso', JSON.stringify({ verifier, state }));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile',
    resource: config.resource,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();
  window.location.assign(url.href);
}

/** Back from the provider with ?code=…&state=…: trade the code for an access token. */
async function finishSignIn(config, meta, params) {
  const saved = JSON.parse(sessionStorage.getItem('tiny-chat-sso') ?? 'null');
  sessionStorage.removeItem('tiny-chat-sso');
  // The state ties this answer to the request this tab made (no login CSRF).
  if (!saved || saved.state !== params.get('state')) throw new Error('sign-in answer does not match the request');
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri,
      client_id: config.clientId,
      code_verifier: saved.verifier,
      resource: config.resource,
    }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`token request failed: ${body.error ?? res.status}`);
  // The code is spent; drop it from the address bar and history.
  window.history.replaceState(null, '', redirectUri);
  return body.access_token;
}

function claims(token) {
  const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(payload));
}

async function createRoom(config) {
  const res = await fetch(`${config.chatServer}/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requireAuth: true }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`${body.code}: ${body.message}`);
  $('room-id').textContent = body.roomId;
  $('room').hidden = false;
  await showChat(config, body.roomId);
}

/** The widget script comes from the chat server (a classic script: no CORS needed). */
function loadWidget(config) {
  if (window.customElements.get('tiny-chat')) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `${config.chatServer}/tiny-chat.js`;
    script.onload = resolve;
    script.onerror = () => reject(new Error('could not load the chat widget'));
    document.head.append(script);
  });
}

async function showChat(config, roomId) {
  await loadWidget(config);
  const chat = document.createElement('tiny-chat');
  chat.server = config.chatServer;
  chat.room = roomId;
  chat.roomParam = '';
  // Asked before every join. This page has no refresh token, so a refused token cannot be replaced:
  // returning the same one makes the widget stop and say that the sign-in expired. A real page would
  // refresh here (or sign in again) when `refused` is set.
  chat.getToken = () => accessToken;
  $('chat').append(chat);
}

async function main() {
  const config = await (await fetch('./config.json')).json();
  const meta = await discover(config.issuer);
  const params = new URLSearchParams(window.location.search);
  if (params.has('error')) throw new Error(`sign-in refused: ${params.get('error')}`);
  if (params.has('code')) accessToken = await finishSignIn(config, meta, params);
  if (!accessToken) {
    $('status').textContent = 'Not signed in.';
    $('sign-in').hidden = false;
    $('sign-in').addEventListener('click', () => void signIn(config, meta).catch(show));
    return;
  }
  $('status').textContent = `Signed in as ${claims(accessToken).name ?? claims(accessToken).sub}.`;
  $('create').hidden = false;
  $('create').addEventListener('click', () => void createRoom(config).catch(show));
}

function show(err) {
  $('status').textContent = `Error: ${err.message}`;
}

main().catch(show);
