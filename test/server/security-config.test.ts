import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { DEFAULT_SECURITY, resolveSecurity } from '../../server/security-config.js';
import { startServer } from '../helpers/server.js';

test('bad security options are refused with a TypeError naming the option', () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ roomsPerUser: 0 }, 'tiny-chat: option "roomsPerUser" must be a positive integer, got 0'],
    [{ joinTimeoutMs: 1.5 }, 'tiny-chat: option "joinTimeoutMs" must be a positive integer, got 1.5'],
    [{ anonymousRoomsPerIp: -1 }, 'tiny-chat: option "anonymousRoomsPerIp" must be a whole number, got -1'],
    [
      { connectionMessageRate: { perSecond: 0, burst: 1 } },
      'tiny-chat: option "connectionMessageRate" must be { perSecond > 0, burst: positive integer }',
    ],
    [
      { userMessageRate: { perSecond: 1, burst: 0.5 } },
      'tiny-chat: option "userMessageRate" must be { perSecond > 0, burst: positive integer }',
    ],
    [
      { wsOrigins: ['https://ok.example', 'evil.example'] },
      'tiny-chat: option "wsOrigins" must be true or a list of origins like https://example.com',
    ],
    [
      { wsOrigins: 'https://ok.example' },
      'tiny-chat: option "wsOrigins" must be true or a list of origins like https://example.com',
    ],
  ];
  for (const [options, message] of bad)
    assert.throws(
      () => resolveSecurity(options),
      (e: Error) => e instanceof TypeError && e.message === message,
    );
});

test('defaults are used for what is not given; fractional rates are allowed', () => {
  const r = resolveSecurity({ connectionMessageRate: { perSecond: 0.5, burst: 2 }, wsOrigins: ['https://a.example'] });
  assert.equal(r.connectionMessageRate, { perSecond: 0.5, burst: 2 });
  assert.equal(r.wsOrigins, ['https://a.example']);
  assert.is(r.roomsPerUser, DEFAULT_SECURITY.roomsPerUser);
  assert.is(resolveSecurity({ anonymousRoomsPerIp: 0 }).anonymousRoomsPerIp, 0);
});

test('behind a trusted proxy, per-IP limits count the forwarded client address', async () => {
  const srv = await startServer({
    storage: await createMemoryStorage(),
    trustProxy: ['127.0.0.1'],
    anonymousRoomsPerIp: 1,
  });
  try {
    const from = (ip: string): Promise<Response> =>
      fetch(`${srv.url}/rooms`, { method: 'POST', headers: { 'x-forwarded-for': ip } });
    assert.is((await from('203.0.113.1')).status, 201);
    assert.is((await from('203.0.113.1')).status, 429);
    assert.is((await from('203.0.113.2')).status, 201);
  } finally {
    await srv.stop();
    await srv.storage.close();
  }
});

test('without a trusted proxy, a forwarded address is ignored', async () => {
  const srv = await startServer({ anonymousRoomsPerIp: 1 });
  try {
    const from = (ip: string): Promise<Response> =>
      fetch(`${srv.url}/rooms`, { method: 'POST', headers: { 'x-forwarded-for': ip } });
    assert.is((await from('203.0.113.1')).status, 201);
    assert.is((await from('203.0.113.2')).status, 429);
  } finally {
    await srv.stop();
  }
});

test.run();
