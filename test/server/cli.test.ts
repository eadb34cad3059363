import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CLI_OPTIONS,
  choices,
  formatDefault,
  formatDuration,
  helpText,
  parseCli,
  parseDuration,
} from '../../server/options/command-line.js';
import { spawnServer } from '../helpers/process.js';

const run = promisify(execFile);
const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const cli = new URL('../../server/cli.ts', import.meta.url).pathname;

test('docs/configuration.md lists every flag with its variable, default and meaning, and nothing else', () => {
  const rows = doc.split('\n').filter((l) => /^\| `--/.test(l));
  const cells = (row: string): string[] => row.split('|').map((c) => c.trim());
  assert.equal(
    rows.map((r) => /^\| `--([a-z-]+)`/.exec(r)![1]),
    [...CLI_OPTIONS.map((o) => o.flag), 'help'],
  );
  for (const o of CLI_OPTIONS) {
    const [, flag, env, def, meaning] = cells(rows.find((r) => r.startsWith(`| \`--${o.flag}\``))!);
    const one = choices(o);
    assert.is(flag, `\`--${o.flag}\``);
    assert.is(env, `\`${o.env}\``, `${o.flag} env`);
    assert.is(def, `\`${formatDefault(o)}\``, `${o.flag} default`);
    const expected = `${o.description}${one ? ` One of: ${one.map((c) => `\`${c}\``).join(', ')}.` : ''}`;
    assert.is(meaning, expected, `${o.flag} meaning`);
  }
});

test('a flag beats its variable, which beats the default', () => {
  assert.is(parseCli([], {}).command.port, 8080);
  assert.is(parseCli([], { PORT: '9000' }).command.port, 9000);
  assert.is(parseCli(['--port', '9100'], { PORT: '9000' }).command.port, 9100);
  assert.is(parseCli([], { TINY_CHAT_IDLE_TIMEOUT: '90s' }).limits.idleTimeoutMs, 90_000);
  assert.is(parseCli(['--max-lifetime', '2h'], {}).limits.maxLifetimeMs, 7_200_000);
  assert.equal(parseCli(['--cors-origin', 'https://a.example, https://b.example'], {}).serving.corsOrigin, [
    'https://a.example',
    'https://b.example',
  ]);
  assert.is(parseCli([], {}).serving.corsOrigin, true);
  assert.is(parseCli([], {}).serving.demo, true, 'the command serves the demo unless told not to');
  assert.is(parseCli(['--demo', 'off'], {}).serving.demo, false);
  assert.is(parseCli([], { TINY_CHAT_DEMO: 'false' }).serving.demo, false);
});

test('the flags issue 12 asked for: bad-frame limit and window, gap timeout', () => {
  const { limits } = parseCli(['--max-bad-frames', '3', '--bad-frame-window', '2s'], {
    TINY_CHAT_GAP_TIMEOUT: '100ms',
  });
  assert.is(limits.maxBadFrames, 3);
  assert.is(limits.badFrameWindowMs, 2000);
  assert.is(limits.gapTimeoutMs, 100);
});

test('bad values name the flag or variable, in one shape', () => {
  const refused = (argv: string[], env: NodeJS.ProcessEnv, message: string): void =>
    assert.throws(
      () => parseCli(argv, env),
      (e: Error) => e instanceof TypeError && e.message === message,
      message,
    );
  refused(['--port', 'http'], {}, '--port must be a whole number, got "http"');
  refused([], { TINY_CHAT_MAX_TEXT_LENGTH: '-5' }, 'TINY_CHAT_MAX_TEXT_LENGTH must be a positive integer, got "-5"');
  refused(['--history-cap', '1.5'], {}, '--history-cap must be a positive integer, got "1.5"');
  refused(['--idle-timeout', 'soon'], {}, '--idle-timeout must be a duration like 30s, 5m or 12h, got "soon"');
  refused(['--storage', 'mongo'], {}, '--storage must be one of sqlite, redis, memory, got "mongo"');
  refused(['--demo', 'maybe'], {}, '--demo must be a boolean, got "maybe"');
  refused(
    ['--ws-origin', 'evil.example'],
    {},
    '--ws-origin must be true or a list of origins like https://example.com, got "evil.example"',
  );
  refused(['--message-burst', '0.5'], {}, '--message-burst must be a positive integer, got "0.5"');
  assert.throws(() => parseCli(['--no-such-flag'], {}), /Unknown option/);
});

test('a rate flag sets one field; the other keeps its default; rates may be fractional', () => {
  const { security } = parseCli(['--message-rate', '0.5'], { TINY_CHAT_USER_MESSAGE_BURST: '7' });
  assert.equal(security.connectionMessageRate, { perSecond: 0.5, burst: 10 });
  assert.equal(security.userMessageRate, { perSecond: 10, burst: 7 });
});

test('durations', () => {
  assert.is(parseDuration('250ms'), 250);
  assert.is(parseDuration('30'), 30_000);
  assert.is(parseDuration('5m'), 300_000);
  assert.is(parseDuration('1.5h'), undefined);
  assert.is(formatDuration(12 * 3_600_000), '12h');
  assert.is(formatDuration(90_000), '90s');
  assert.is(formatDuration(250), '250ms');
});

test('the tiny-chat bin prints its help, and refuses a bad flag with exit code 2', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, '--help']);
  assert.is(stdout.trim(), helpText());
  const failed = await run(process.execPath, ['--import', 'tsx', cli, '--port', 'x']).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  assert.is(failed?.code, 2);
  assert.match(failed?.stderr ?? '', /--port must be a whole number, got "x"/);
});

test('the bin refuses two options that break a rule together with exit code 2', async () => {
  const failed = await run(process.execPath, [
    '--import',
    'tsx',
    cli,
    '--storage',
    'memory',
    '--history-cap',
    '10',
    '--history-page',
    '20',
  ]).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  assert.is(failed?.code, 2);
  assert.match(failed?.stderr ?? '', /option "historyPage" must not exceed "historyCap"/);
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
