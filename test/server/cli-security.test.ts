import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCli } from '../../server/cli-options.js';
import { securityOptions } from '../../server/cli-security.js';
import { DEFAULT_SECURITY } from '../../server/security-config.js';
import { CHAT_AUDIENCE, startProvider } from '../helpers/oidc.js';
import { spawnServer } from '../helpers/process.js';

const run = promisify(execFile);

test('the security flags default to the documented limits', () => {
  const o = securityOptions(parseCli([], {}));
  assert.equal(o.oidc, []);
  assert.is(o.roomsPerUser, DEFAULT_SECURITY.roomsPerUser);
  assert.is(o.anonymousRoomsPerIp, DEFAULT_SECURITY.anonymousRoomsPerIp);
  assert.equal(o.connectionMessageRate, DEFAULT_SECURITY.connectionMessageRate);
  assert.equal(o.userMessageRate, DEFAULT_SECURITY.userMessageRate);
  assert.is(o.maxConnectionsPerIp, DEFAULT_SECURITY.maxConnectionsPerIp);
  assert.is(o.restRateMax, DEFAULT_SECURITY.restRateMax);
  assert.is(o.restRateWindowMs, DEFAULT_SECURITY.restRateWindowMs);
  assert.is(o.wsOrigins, true);
  assert.is(o.maxBufferedBytes, DEFAULT_SECURITY.maxBufferedBytes);
  assert.is(o.joinTimeoutMs, DEFAULT_SECURITY.joinTimeoutMs);
  assert.is(o.trustProxy, false);
});

test('flags and variables map onto the options', () => {
  const o = securityOptions(
    parseCli(
      ['--message-rate', '2', '--message-burst', '4', '--ws-origin', 'https://a.example', '--trust-proxy', '10.0.0.1'],
      { TINY_CHAT_ANONYMOUS_ROOMS_PER_IP: '0', TINY_CHAT_JOIN_TIMEOUT: '3s' },
    ),
  );
  assert.equal(o.connectionMessageRate, { perSecond: 2, burst: 4 });
  assert.equal(o.wsOrigins, ['https://a.example']);
  assert.equal(o.trustProxy, ['10.0.0.1']);
  assert.is(o.anonymousRoomsPerIp, 0);
  assert.is(o.joinTimeoutMs, 3000);
  assert.throws(() => securityOptions(parseCli(['--oidc', '{oops'], {})), /--oidc \/ TINY_CHAT_OIDC must be JSON/);
});

test('the bin refuses bad --oidc JSON with exit code 2', async () => {
  const cli = new URL('../../server/cli.ts', import.meta.url).pathname;
  const failed = await run(process.execPath, ['--import', 'tsx', cli, '--oidc', 'nope']).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  assert.is(failed?.code, 2);
  assert.match(failed?.stderr ?? '', /--oidc \/ TINY_CHAT_OIDC must be JSON/);
});

test('the bin with an issuer and anonymous creation off: sign-in required, a real token accepted', async () => {
  const idp = await startProvider();
  const srv = await spawnServer(['--anonymous-rooms-per-ip', '0'], {
    TINY_CHAT_OIDC: JSON.stringify([{ issuer: idp.issuer, audience: CHAT_AUDIENCE }]),
  });
  try {
    const anon = await fetch(`${srv.url}/rooms`, { method: 'POST' });
    assert.is(anon.status, 401);
    assert.is(((await anon.json()) as { code: string }).code, 'auth-required');
    const res = await fetch(`${srv.url}/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await idp.token('user-1')}` },
    });
    assert.is(res.status, 201);
  } finally {
    srv.child.kill('SIGTERM');
    await srv.exited;
    await idp.stop();
  }
});

test.run();
