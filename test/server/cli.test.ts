import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI_OPTIONS, helpText, parseCli, parseDuration } from '../../server/cli-options.js';
import { spawnServer } from '../helpers/process.js';

const run = promisify(execFile);
const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

test('docs/configuration.md lists every flag with its variable and default, and nothing else', () => {
  const rows = doc.split('\n').filter((l) => /^\| `--/.test(l));
  const documented = rows.map((r) => /^\| `--([a-z-]+)`/.exec(r)![1]);
  assert.equal(
    documented,
    CLI_OPTIONS.map((o) => o.flag),
  );
  for (const o of CLI_OPTIONS) {
    const row = rows.find((r) => r.startsWith(`| \`--${o.flag}\``))!;
    const cells = row.split('|').map((c) => c.trim());
    assert.is(cells[2], o.env ? `\`${o.env}\`` : '—', `${o.flag} env`);
    if (o.kind !== 'boolean') assert.is(cells[3], `\`${o.default}\``, `${o.flag} default`);
    assert.ok(cells[4]!.startsWith(o.description), `${o.flag} description`);
  }
});

test('a flag beats its variable, which beats the default', () => {
  assert.is(parseCli([], {})['port'], 8080);
  assert.is(parseCli([], { PORT: '9000' })['port'], 9000);
  assert.is(parseCli(['--port', '9100'], { PORT: '9000' })['port'], 9100);
  assert.is(parseCli([], { TINY_CHAT_IDLE_TIMEOUT: '90s' })['idle-timeout'], 90_000);
  assert.is(parseCli(['--max-lifetime', '2h'], {})['max-lifetime'], 7_200_000);
  assert.equal(parseCli(['--cors-origin', 'https://a.example, https://b.example'], {})['cors-origin'], [
    'https://a.example',
    'https://b.example',
  ]);
});

test('bad values name the flag or variable', () => {
  assert.throws(() => parseCli(['--port', 'http'], {}), /--port must be a whole number, got "http"/);
  assert.throws(
    () => parseCli([], { TINY_CHAT_MAX_TEXT_LENGTH: '-5' }),
    /TINY_CHAT_MAX_TEXT_LENGTH must be a positive integer/,
  );
  assert.throws(() => parseCli(['--idle-timeout', 'soon'], {}), /--idle-timeout must be a duration/);
  assert.throws(() => parseCli(['--storage', 'mongo'], {}), /--storage must be one of/);
  assert.throws(() => parseCli(['--no-such-flag'], {}), /Unknown option/);
});

test('durations', () => {
  assert.is(parseDuration('250ms'), 250);
  assert.is(parseDuration('30'), 30_000);
  assert.is(parseDuration('5m'), 300_000);
  assert.is(parseDuration('1.5h'), undefined);
});

test('the tiny-chat bin prints its help, and refuses a bad flag with exit code 2', async () => {
  const cli = new URL('../../server/cli.ts', import.meta.url).pathname;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, '--help']);
  assert.is(stdout.trim(), helpText());
  const failed = await run(process.execPath, ['--import', 'tsx', cli, '--port', 'x']).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  assert.is(failed?.code, 2);
  assert.match(failed?.stderr ?? '', /--port must be a whole number/);
});

test('the bin serves, logs JSON through pino, and stops cleanly on SIGTERM', async () => {
  const srv = await spawnServer(['--port', '0']);
  const res = await fetch(`${srv.url}/rooms`, { method: 'POST' });
  assert.is(res.status, 201);
  srv.child.kill('SIGTERM');
  assert.is(await srv.exited, 0);
  const lines = srv
    .output()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg?: string; level: number });
  assert.ok(lines.some((l) => l.msg === 'shutting down'));
});

test.run();
