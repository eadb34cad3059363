import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCli } from '../../server/options/command-line.js';
import { DEFAULT_SECURITY } from '../../server/options/resolve.js';
import { CHAT_AUDIENCE, startProvider } from '../helpers/oidc.js';
import { spawnServer } from '../helpers/process.js';

const run = promisify(execFile);

test('the security flags default to the library defaults', () => {
  const { security, http } = parseCli([], {});
  assert.equal(security, DEFAULT_SECURITY);
  assert.is(http.trustProxy, false);
});

test('flags and variables map onto the options', () => {
  const { security, http } = parseCli(
    ['--message-rate', '2', '--message-burst', '4', '--ws-origin', 'https://a.example', '--trust-proxy', '10.0.0.1'],
    { TINY_CHAT_ANONYMOUS_ROOMS_PER_IP: '0', TINY_CHAT_JOIN_TIMEOUT: '3s' },
  );
  assert.equal(security.connectionMessageRate, { perSecond: 2, burst: 4 });
  assert.equal(security.wsOrigins, ['https://a.example']);
  assert.equal(http.trustProxy, ['10.0.0.1']);
  assert.is(parseCli(['--trust-proxy', 'true'], {}).http.trustProxy, true);
  assert.is(security.anonymousRoomsPerIp, 0);
  assert.is(security.joinTimeoutMs, 3000);
  assert.equal(parseCli(['--oidc', '[{"issuer":"https://id.example","audience":"x"}]'], {}).security.oidc, [
    { issuer: 'https://id.example', audience: 'x' },
  ]);
  assert.throws(
    () => parseCli(['--oidc', '{oops'], {}),
    (e: Error) =>
      e.message ===
      '--oidc must be a list of { issuer, audience, nameClaim?, algorithms?, keysCooldownMs? }, got "{oops"',
  );
  assert.throws(
    () => parseCli([], { TINY_CHAT_OIDC: '[{"issuer":"https://id.example","audience":""}]' }),
    (e: Error) => e.message === 'TINY_CHAT_OIDC [0].audience must be a non-empty string, got ""',
  );
});

test('the bin refuses bad --oidc JSON with exit code 2', async () => {
  const cli = new URL('../../server/cli.ts', import.meta.url).pathname;
  const failed = await run(process.execPath, ['--import', 'tsx', cli, '--oidc', 'nope']).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  assert.is(failed?.code, 2);
  assert.match(failed?.stderr ?? '', /--oidc must be a list of \{ issuer, audience/);
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
