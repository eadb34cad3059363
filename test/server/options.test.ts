/** server/options/: defaults from the schema, one error shape, no unknown option, and the library table of the docs. */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createServer, type CreateServerOptions } from '../../server/index.js';
import { LIBRARY_OPTIONS } from '../../server/options/library.js';
import { DEFAULT_LIMITS, DEFAULT_SECURITY, resolveOptions } from '../../server/options/resolve.js';

const storage = await createMemoryStorage();
const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

/** Asserts that `fn` throws a TypeError with exactly `message`. */
function refused(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: Error) => e instanceof TypeError && e.message === message, message);
}

/** As a caller without types would pass it. */
const loose = (options: Record<string, unknown>): CreateServerOptions => ({ storage, ...options });

test('a bad option is a TypeError in one shape: its name, what it must be, what it got', () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ maxTextLength: 0 }, 'tiny-chat: option "maxTextLength" must be a positive integer, got 0'],
    [{ historyCap: 1.5 }, 'tiny-chat: option "historyCap" must be a positive integer, got 1.5'],
    [{ idleTimeoutMs: '300' }, 'tiny-chat: option "idleTimeoutMs" must be a positive integer, got "300"'],
    [{ pingIntervalMs: -1 }, 'tiny-chat: option "pingIntervalMs" must be a positive integer, got -1'],
    [{ gapTimeoutMs: Number.NaN }, 'tiny-chat: option "gapTimeoutMs" must be a positive integer, got NaN'],
    [{ storage: {} }, 'tiny-chat: option "storage" must be a Storage adapter, got {}'],
    [{ storage: undefined }, 'tiny-chat: option "storage" must be a Storage adapter, got undefined'],
    [{ clock: { now: 5 } }, 'tiny-chat: option "clock" must be an object with a now() method, got {"now":5}'],
    [{ instanceId: 'a b' }, 'tiny-chat: option "instanceId" must be 1-64 characters of [A-Za-z0-9_-], got "a b"'],
    [{ demo: 'yes' }, 'tiny-chat: option "demo" must be a boolean, got "yes"'],
    [{ roomsPerUser: 0 }, 'tiny-chat: option "roomsPerUser" must be a positive integer, got 0'],
    [{ joinTimeoutMs: 1.5 }, 'tiny-chat: option "joinTimeoutMs" must be a positive integer, got 1.5'],
    [{ anonymousRoomsPerIp: -1 }, 'tiny-chat: option "anonymousRoomsPerIp" must be a whole number, got -1'],
    [
      { connectionMessageRate: { perSecond: 0, burst: 1 } },
      'tiny-chat: option "connectionMessageRate.perSecond" must be a positive number, got 0',
    ],
    [
      { userMessageRate: { perSecond: 1, burst: 0.5 } },
      'tiny-chat: option "userMessageRate.burst" must be a positive integer, got 0.5',
    ],
    [
      { userMessageRate: 5 },
      'tiny-chat: option "userMessageRate" must be { perSecond: a positive number, burst: a positive integer }, got 5',
    ],
    [
      { wsOrigins: ['https://ok.example', 'evil.example'] },
      'tiny-chat: option "wsOrigins" must be true or a list of origins like https://example.com, got ["https://ok.example","evil.example"]',
    ],
    [
      { wsOrigins: 'https://ok.example' },
      'tiny-chat: option "wsOrigins" must be true or a list of origins like https://example.com, got "https://ok.example"',
    ],
    [
      { oidc: {} },
      'tiny-chat: option "oidc" must be a list of { issuer, audience, nameClaim?, algorithms?, keysCooldownMs? }, got {}',
    ],
    [
      { oidc: [{ issuer: 'id.example', audience: 'x' }] },
      'tiny-chat: option "oidc[0].issuer" must be an http(s) URL, got "id.example"',
    ],
    [
      { oidc: [{ issuer: 'https://id.example' }] },
      'tiny-chat: option "oidc[0].audience" must be a non-empty string, got undefined',
    ],
    [
      { oidc: [{ issuer: 'https://id.example', audience: 'x', algorithms: ['RS256', 'HS256'] }] },
      'tiny-chat: option "oidc[0].algorithms" must be a non-empty list of asymmetric JWS algorithms, got ["RS256","HS256"]',
    ],
    [
      { oidc: [{ issuer: 'https://id.example', audience: 'x', keysCooldownMs: -1 }] },
      'tiny-chat: option "oidc[0].keysCooldownMs" must be a whole number, got -1',
    ],
  ];
  for (const [options, message] of bad) refused(() => resolveOptions(loose(options)), message);
});

test('an option nobody knows is refused, so a typo never falls back to the default', () => {
  refused(() => resolveOptions(loose({ maxTextLenght: 2000 })), 'tiny-chat: unknown option "maxTextLenght"');
  refused(
    () => resolveOptions(loose({ oidc: [{ issuer: 'https://id.example', audience: 'x', audiences: ['y'] }] })),
    'tiny-chat: unknown option "oidc[0].audiences"',
  );
  // Fastify's own register options pass through.
  assert.is(resolveOptions(loose({ prefix: '/chat' })).limits.historyCap, 500);
});

test('rules between two options, in the same shape', () => {
  refused(
    () => resolveOptions({ storage, historyCap: 10, historyPage: 20 }),
    'tiny-chat: option "historyPage" must not exceed "historyCap"',
  );
  refused(
    () =>
      resolveOptions({
        storage,
        oidc: [
          { issuer: 'https://id.example', audience: 'a' },
          { issuer: 'https://id.example', audience: 'b' },
        ],
      }),
    'tiny-chat: option "oidc[1].issuer" is listed twice',
  );
});

test('createServer refuses a bad option of its own or of the plugin, and starts with good ones', async () => {
  const failure = async (options: CreateServerOptions): Promise<unknown> =>
    createServer(options).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (err: unknown) => err,
    );
  const timeout = await failure(loose({ headersTimeoutMs: 0 }));
  assert.instance(timeout, TypeError);
  assert.is((timeout as TypeError).message, 'tiny-chat: option "headersTimeoutMs" must be a positive integer, got 0');
  const order = await failure({ storage, headersTimeoutMs: 5000, requestTimeoutMs: 1000 });
  assert.is((order as TypeError).message, 'tiny-chat: option "headersTimeoutMs" must not exceed "requestTimeoutMs"');
  const proxy = await failure(loose({ trustProxy: 5 }));
  assert.is(
    (proxy as TypeError).message,
    'tiny-chat: option "trustProxy" must be a boolean, an address or a list of addresses or CIDRs, got 5',
  );
  const plugin = await failure(loose({ historyPage: 0 }));
  assert.is((plugin as TypeError).message, 'tiny-chat: option "historyPage" must be a positive integer, got 0');
  assert.is(await failure({ storage, trustProxy: ['10.0.0.1'], maxBadFrames: 3 }), undefined);
});

test('defaults are the documented ones, filled in for what is not given', () => {
  const { limits, security, demo, corsOrigin } = resolveOptions({ storage, maxTextLength: 2000 });
  assert.is(limits.maxTextLength, 2000);
  assert.equal({ ...limits, maxTextLength: DEFAULT_LIMITS.maxTextLength }, DEFAULT_LIMITS);
  assert.is(DEFAULT_LIMITS.maxTextLength, 1000);
  assert.is(DEFAULT_LIMITS.historyCap, 500);
  assert.is(DEFAULT_LIMITS.idleTimeoutMs, 5 * 60_000);
  assert.is(DEFAULT_LIMITS.maxLifetimeMs, 12 * 3600_000);
  assert.is(DEFAULT_LIMITS.maxFrameBytes, 16384);
  assert.equal(security, DEFAULT_SECURITY);
  assert.equal(DEFAULT_SECURITY.connectionMessageRate, { perSecond: 5, burst: 10 });
  assert.is(demo, false);
  assert.is(corsOrigin, true);
});

test('a default is never shared: changing one resolved object leaves the next alone', () => {
  const first = resolveOptions({ storage });
  first.security.oidc.push({ issuer: 'https://x.example', audience: 'x' });
  assert.equal(resolveOptions({ storage }).security.oidc, []);
});

test('fractional rates are allowed; what is given is kept', () => {
  const r = resolveOptions({
    storage,
    connectionMessageRate: { perSecond: 0.5, burst: 2 },
    wsOrigins: ['https://a.example'],
    anonymousRoomsPerIp: 0,
  }).security;
  assert.equal(r.connectionMessageRate, { perSecond: 0.5, burst: 2 });
  assert.equal(r.wsOrigins, ['https://a.example']);
  assert.is(r.anonymousRoomsPerIp, 0);
  assert.is(r.roomsPerUser, DEFAULT_SECURITY.roomsPerUser);
});

test('docs/configuration.md lists every library option with its default, rule and meaning', () => {
  const rows = doc.split('\n').filter((l) => /^\| `[a-z][A-Za-z]+`/.test(l));
  assert.equal(
    rows.map((r) => /^\| `([A-Za-z]+)`/.exec(r)![1]),
    LIBRARY_OPTIONS.map((o) => o.name),
  );
  for (const o of LIBRARY_OPTIONS) {
    const row = rows.find((r) => r.startsWith(`| \`${o.name}\``))!;
    const [, name, def, expected, meaning] = row.split('|').map((c) => c.trim());
    assert.is(name, `\`${o.name}\`${o.serverOnly ? ' (createServer)' : ''}`);
    assert.is(def, o.default === '—' ? '—' : `\`${o.default}\``, `${o.name} default`);
    assert.is(expected, o.expected, `${o.name} rule`);
    assert.is(meaning, o.description, `${o.name} meaning`);
  }
});

test.after(() => storage.close());

test.run();
