/**
 * OIDC against a real oidc-provider on loopback: tokens come from its token
 * endpoint; the bad ones are real tokens mutated the way attackers do.
 */
import { createHmac, createPublicKey } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TestClient } from '../helpers/client.js';
import { CHAT_AUDIENCE, OTHER_AUDIENCE, startProvider, TOKEN_TTL_S, type TestProvider } from '../helpers/oidc.js';
import { startServer, type Running } from '../helpers/server.js';
import type { CreateServerOptions } from '../../server/index.js';

interface Ctx {
  idp: TestProvider;
  other: TestProvider;
  srv: Running;
  clients: TestClient[];
}

const test = suite<Ctx>('OIDC');

test.before(async (ctx) => {
  ctx.idp = await startProvider();
  ctx.other = await startProvider();
});
test.after(async (ctx) => {
  await ctx.idp.stop();
  await ctx.other.stop();
});
test.before.each((ctx) => {
  ctx.clients = [];
});
test.after.each(async (ctx) => {
  for (const c of ctx.clients) c.close();
  await ctx.srv?.stop();
});

async function serve(ctx: Ctx, options: Partial<CreateServerOptions> = {}): Promise<Running> {
  ctx.srv = await startServer({ oidc: [{ issuer: ctx.idp.issuer, audience: CHAT_AUDIENCE }], ...options });
  return ctx.srv;
}

async function create(
  srv: Running,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['authorization'] = token.includes(' ') ? token : `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${srv.url}/rooms`, {
    method: 'POST',
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function parts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; sig: string } {
  const [h, p, sig] = token.split('.') as [string, string, string];
  const json = (s: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(s, 'base64url').toString()) as Record<string, unknown>;
  return { header: json(h), payload: json(p), sig };
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

test('a signed-in user creates rooms up to the quota, then gets 429 quota-exceeded', async (ctx) => {
  const srv = await serve(ctx);
  const token = await ctx.idp.token('user-1');
  for (let i = 0; i < 3; i++) assert.is((await create(srv, token)).status, 201);
  const over = await create(srv, token);
  assert.is(over.status, 429);
  assert.equal(over.body, {
    statusCode: 429,
    code: 'quota-exceeded',
    message: 'You already hold the maximum number of live rooms.',
    maxRooms: 3,
  });
  // The quota is per user: another user of the same issuer is not affected.
  assert.is((await create(srv, await ctx.idp.token('user-2'))).status, 201);
});

test('at limit-1, twenty parallel creates by one user give exactly one room', async (ctx) => {
  const srv = await serve(ctx, { roomsPerUser: 5 });
  const token = await ctx.idp.token('user-3');
  for (let i = 0; i < 4; i++) assert.is((await create(srv, token)).status, 201);
  const results = await Promise.all(Array.from({ length: 20 }, () => create(srv, token)));
  assert.is(results.filter((r) => r.status === 201).length, 1);
  assert.ok(results.every((r) => r.status === 201 || r.body['code'] === 'quota-exceeded'));
});

test('an expired token gets 401 token-expired', async (ctx) => {
  const srv = await serve(ctx);
  const token = await ctx.idp.token('user-1');
  assert.is((await create(srv, token)).status, 201);
  srv.clock.advance(TOKEN_TTL_S * 1000 + 10_000);
  const res = await create(srv, token);
  assert.is(res.status, 401);
  assert.is(res.body['code'], 'token-expired');
});

test('a token for another audience gets 401 token-audience', async (ctx) => {
  const srv = await serve(ctx);
  const res = await create(srv, await ctx.idp.token('user-1', OTHER_AUDIENCE));
  assert.is(res.status, 401);
  assert.is(res.body['code'], 'token-audience');
});

test('a token from an issuer that is not configured gets 401 token-issuer', async (ctx) => {
  const srv = await serve(ctx);
  const res = await create(srv, await ctx.other.token('user-1'));
  assert.is(res.status, 401);
  assert.is(res.body['code'], 'token-issuer');
});

test("a token signed by another provider's key but claiming the trusted issuer gets 401 token-signature", async (ctx) => {
  const srv = await serve(ctx);
  const real = parts(await ctx.idp.token('user-1'));
  const foreign = (await ctx.other.token('user-1')).split('.');
  // The other provider's header (its kid) and signature over its own payload, with our issuer's claims.
  const forged = `${foreign[0]}.${b64(real.payload)}.${foreign[2]}`;
  const res = await create(srv, forged);
  assert.is(res.status, 401);
  assert.is(res.body['code'], 'token-signature');
});

test('alg none gets 401 token-algorithm', async (ctx) => {
  const srv = await serve(ctx);
  const { header, payload } = parts(await ctx.idp.token('user-1'));
  const none = `${b64({ ...header, alg: 'none' })}.${b64(payload)}.`;
  const res = await create(srv, none);
  assert.is(res.status, 401);
  assert.is(res.body['code'], 'token-algorithm');
});

test("HS256 signed with the issuer's public key gets 401 token-algorithm", async (ctx) => {
  const srv = await serve(ctx);
  const { header, payload } = parts(await ctx.idp.token('user-1'));
  const pem = createPublicKey({ key: ctx.idp.publicJwk as never, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  });
  for (const secret of [pem, JSON.stringify(ctx.idp.publicJwk)]) {
    const signingInput = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
    const sig = createHmac('sha256', secret).update(signingInput).digest('base64url');
    const res = await create(srv, `${signingInput}.${sig}`);
    assert.is(res.status, 401);
    assert.is(res.body['code'], 'token-algorithm');
  }
});

test('a tampered payload gets 401 token-signature', async (ctx) => {
  const srv = await serve(ctx);
  const { header, payload, sig } = parts(await ctx.idp.token('user-1'));
  const tampered = `${b64(header)}.${b64({ ...payload, sub: 'user-2' })}.${sig}`;
  const res = await create(srv, tampered);
  assert.is(res.status, 401);
  assert.is(res.body['code'], 'token-signature');
});

test('a header that is not Bearer, or a token that is not a JWT, gets 401 token-malformed', async (ctx) => {
  const srv = await serve(ctx);
  for (const header of ['Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', 'Bearer']) {
    const res = await create(srv, header.includes(' ') ? header : `${header} `);
    assert.is(res.status, 401, header);
    assert.is(res.body['code'], 'token-malformed', header);
  }
});

test('an unreachable issuer gets 503 issuer-unavailable, and is tried again on the next request', async (ctx) => {
  const down = await startProvider();
  const token = await down.token('user-1');
  await down.stop();
  const srv = await serve(ctx, { oidc: [{ issuer: down.issuer, audience: CHAT_AUDIENCE }] });
  const res = await create(srv, token);
  assert.is(res.status, 503);
  assert.is(res.body['code'], 'issuer-unavailable');
  assert.is(res.body['code'], (await create(srv, token)).body['code']);
});

test('a rotated signing key is picked up, and the retired one stops working', async (ctx) => {
  const before = await startProvider();
  const port = Number(new URL(before.issuer).port);
  const srv = await serve(ctx, { oidc: [{ issuer: before.issuer, audience: CHAT_AUDIENCE, keysCooldownMs: 0 }] });
  const oldToken = await before.token('user-1');
  assert.is((await create(srv, oldToken)).status, 201);
  await before.stop();
  // Same issuer URL, new key pair and key id: what a rotation looks like from outside.
  const after = await startProvider({ port });
  try {
    assert.is.not(after.publicJwk['kid'], before.publicJwk['kid']);
    assert.is((await create(srv, await after.token('user-1'))).status, 201);
    const retired = await create(srv, oldToken);
    assert.is(retired.status, 401);
    assert.is(retired.body['code'], 'token-signature');
  } finally {
    await after.stop();
  }
  // With the issuer gone, a token naming a key id not yet seen cannot be checked: 503, not a verdict on the token.
  const real = parts(await ctx.idp.token('user-1'));
  const res = await create(srv, `${b64(real.header)}.${b64({ ...real.payload, iss: before.issuer })}.${real.sig}`);
  assert.is(res.status, 503);
  assert.is(res.body['code'], 'issuer-unavailable');
});

test('anonymous creation off: 401 auth-required without a token, 201 with one', async (ctx) => {
  const srv = await serve(ctx, { anonymousRoomsPerIp: 0 });
  const res = await create(srv);
  assert.is(res.status, 401);
  assert.is(res.body['code'], 'auth-required');
  assert.is((await create(srv, await ctx.idp.token('user-1'))).status, 201);
});

test('anonymous creation on: limited per IP address with quota-exceeded', async (ctx) => {
  const srv = await serve(ctx, { anonymousRoomsPerIp: 2 });
  assert.is((await create(srv)).status, 201);
  assert.is((await create(srv)).status, 201);
  const res = await create(srv);
  assert.is(res.status, 429);
  assert.is(res.body['code'], 'quota-exceeded');
  assert.is(res.body['maxRooms'], 2);
});

test('only a signed-in creator may ask for requireAuth, and the room says so', async (ctx) => {
  const srv = await serve(ctx);
  const anon = await create(srv, undefined, { requireAuth: true });
  assert.is(anon.status, 401);
  assert.is(anon.body['code'], 'auth-required');
  const bad = await create(srv, undefined, { requireAuth: 'yes' });
  assert.is(bad.body['code'], 'bad-request');
  const made = await create(srv, await ctx.idp.token('user-1'), { requireAuth: true });
  assert.is(made.status, 201);
  assert.is(made.body['requireAuth'], true);
  const info = (await (await fetch(`${srv.url}/rooms/${String(made.body['roomId'])}`)).json()) as Record<
    string,
    unknown
  >;
  assert.is(info['requireAuth'], true);
});

test('a room that requires sign-in: the join carries a token, the name comes from it, the key is bound to it', async (ctx) => {
  const srv = await serve(ctx);
  const t1 = await ctx.idp.token('user-1');
  const roomId = String((await create(srv, t1, { requireAuth: true })).body['roomId']);

  const anon = await TestClient.connect(srv.url);
  ctx.clients.push(anon);
  anon.sendJson(anon.joinFrame(roomId, 'mallory'));
  const refused = await anon.next('error');
  assert.is(refused.code, 'auth-required');
  anon.sendJson({ ...anon.joinFrame(roomId, 'mallory'), token: await ctx.idp.token('user-2', OTHER_AUDIENCE) });
  assert.is((await anon.next('error')).code, 'token-audience');
  assert.is(anon.closed, undefined);

  const alice = await TestClient.connect(srv.url);
  ctx.clients.push(alice);
  alice.sendJson({ ...alice.joinFrame(roomId, 'Anything I like'), token: t1 });
  const welcome = await alice.next('welcome');
  assert.is(welcome.name, 'Name of user-1');
  assert.is(welcome.room.requireAuth, true);
  alice.roomId = roomId;
  alice.name = welcome.name;
  assert.is((await alice.say('hello')).type, 'ack');

  // Another user presenting alice's key (a stolen key) is refused: the key is bound to user-1.
  const thief = await TestClient.connect(srv.url, alice.identity);
  ctx.clients.push(thief);
  thief.sendJson({ ...thief.joinFrame(roomId, 'x'), token: await ctx.idp.token('user-2') });
  const stolen = await thief.next('error');
  assert.is(stolen.code, 'name-unavailable');
  // Not a name clash, and the message says so.
  assert.is(stolen.message, 'This key is bound to another signed-in identity in this room.');

  // The same user on a second socket with the same key gets the same name back.
  const again = await TestClient.connect(srv.url, alice.identity);
  ctx.clients.push(again);
  again.sendJson({ ...again.joinFrame(roomId, 'x'), token: t1 });
  assert.is((await again.next('welcome')).name, 'Name of user-1');
});

test('an open room accepts a join with a token and then shows the verified name', async (ctx) => {
  const srv = await serve(ctx);
  const roomId = String((await create(srv)).body['roomId']);
  const c = await TestClient.connect(srv.url);
  ctx.clients.push(c);
  c.sendJson({ ...c.joinFrame(roomId, 'whoever'), token: await ctx.idp.token('user-4') });
  assert.is((await c.next('welcome')).name, 'Name of user-4');
});

test.run();

const noIssuer = suite('no issuer configured');

noIssuer('a bearer token is refused with token-issuer when no issuer is configured', async () => {
  const idp = await startProvider();
  const srv = await startServer();
  try {
    const res = await create(srv, await idp.token('user-1'));
    assert.is(res.status, 401);
    assert.is(res.body['code'], 'token-issuer');
  } finally {
    await srv.stop();
    await idp.stop();
  }
});

noIssuer('bad oidc options are refused at register time', async () => {
  const bad: [unknown, string][] = [
    [
      {},
      'tiny-chat: option "oidc" must be a list of { issuer, audience, nameClaim?, algorithms?, keysCooldownMs? }, got {}',
    ],
    [
      [{ issuer: 'ftp://x', audience: 'a' }],
      'tiny-chat: option "oidc[0].issuer" must be an http(s) URL, got "ftp://x"',
    ],
    [
      [{ issuer: 'https://a.example', audience: '' }],
      'tiny-chat: option "oidc[0].audience" must be a non-empty string, got ""',
    ],
    [
      [{ issuer: 'https://a.example', audience: 'a', algorithms: ['HS256'] }],
      'tiny-chat: option "oidc[0].algorithms" must be a non-empty list of asymmetric JWS algorithms, got ["HS256"]',
    ],
    [
      [
        { issuer: 'https://a.example', audience: 'a' },
        { issuer: 'https://a.example', audience: 'b' },
      ],
      'tiny-chat: option "oidc[1].issuer" is listed twice',
    ],
  ];
  for (const [oidc, message] of bad) {
    try {
      await startServer({ oidc: oidc as never });
      assert.unreachable('accepted');
    } catch (err) {
      assert.instance(err, TypeError);
      assert.is((err as Error).message, message);
    }
  }
});

noIssuer.run();
