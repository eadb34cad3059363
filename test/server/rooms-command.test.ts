/**
 * `tiny-chat rooms list` and `tiny-chat rooms end`, as the real bin (through
 * tsx): against a running server with its admin token, directly on the SQLite
 * file a running server uses, and on a Redis that a server shares, whose
 * members are then closed through the event bus.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import { TestClient } from '../helpers/client.js';
import { spawnServer } from '../helpers/process.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { createRoom, startServer } from '../helpers/server.js';

const execFileP = promisify(execFile);
const CLI = new URL('../../server/cli.ts', import.meta.url).pathname;
const TOKEN = 'rooms-command-token-0123456789abcdefghij';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tiny-chat rooms …` with only the given environment beside PATH. */
async function rooms(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const options = { env: { PATH: process.env['PATH'], ...env } };
  return execFileP(process.execPath, ['--import', 'tsx', CLI, 'rooms', ...args], options).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** The data rows of a listing: [room, members, connections]. */
const rows = (out: string): string[][] =>
  out
    .trim()
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t').slice(0, 3));

const test = suite('tiny-chat rooms');

test('against a running server (--url), and directly on its SQLite file', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'tiny-chat-rooms-')), 'chat.db');
  const srv = await spawnServer(['--demo', 'off', '--db', db], { TINY_CHAT_ADMIN_TOKEN: TOKEN });
  try {
    const [a, b] = [await createRoom(srv.url), await createRoom(srv.url)];
    const amy = await TestClient.connect(srv.url);
    await amy.join(a, 'amy');
    const listed = await rooms(['list', '--url', srv.url], { TINY_CHAT_ADMIN_TOKEN: TOKEN });
    assert.is(listed.code, 0, listed.stderr);
    assert.is(listed.stdout.split('\n')[0], 'ROOM\tMEMBERS\tCONNECTIONS\tCREATED\tEXPIRES\tCREATOR');
    assert.equal(
      rows(listed.stdout),
      [
        [a, '1', '1'],
        [b, '0', '0'],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );

    const ended = await rooms(['end', a, '--url', srv.url, '--admin-token', TOKEN]);
    assert.is(ended.code, 0, ended.stderr);
    assert.is(ended.stdout, `ended ${a}\n`);
    assert.is((await amy.next('closing')).reason, 'ended');

    // The same file, opened by the command while the server runs: it sees what the server wrote.
    const direct = await rooms(['list', '--db', db]);
    assert.is(direct.code, 0, direct.stderr);
    assert.equal(rows(direct.stdout), [[b, '0', '0']]);
    const endB = await rooms(['end', b], { TINY_CHAT_DB: db });
    assert.is(endB.code, 0, endB.stderr);
    const gone = await fetch(`${srv.url}/rooms/${b}`);
    assert.is(gone.status, 410);
    assert.is(((await gone.json()) as { reason: string }).reason, 'ended');
    const again = await rooms(['end', b, '--db', db]);
    assert.is(again.code, 1);
    assert.match(again.stderr, `${b}: room-expired (ended)`);
  } finally {
    srv.child.kill('SIGTERM');
    await srv.exited;
  }
});

test('refusals: bad usage is exit 2, a refused request exit 1; the token is never printed', async () => {
  const srv = await spawnServer(['--demo', 'off', '--storage', 'memory'], { TINY_CHAT_ADMIN_TOKEN: TOKEN });
  try {
    const cases: [string[], NodeJS.ProcessEnv, number, RegExp][] = [
      [['end'], {}, 2, /rooms needs "list" or "end ROOM_ID"|unexpected arguments/],
      [['list', 'extra'], {}, 2, /unexpected arguments/],
      [['list', '--url', srv.url], {}, 2, /--url needs the admin token/],
      [['list', '--url', 'ftp://x'], { TINY_CHAT_ADMIN_TOKEN: TOKEN }, 2, /--url must be an http\(s\) URL/],
      [['list', '--storage', 'memory'], {}, 2, /memory storage lives inside the server/],
      [['list', '--url', srv.url], { TINY_CHAT_ADMIN_TOKEN: `${TOKEN}x` }, 1, /401 admin-token-invalid/],
      [['end', 'AAAAAAAAAAAAAAAAAAAAAA', '--url', srv.url], { TINY_CHAT_ADMIN_TOKEN: TOKEN }, 1, /404 room-not-found/],
    ];
    for (const [args, env, code, pattern] of cases) {
      const r = await rooms(args, env);
      assert.is(r.code, code, args.join(' '));
      assert.match(r.stderr, pattern);
      assert.not.match(r.stdout + r.stderr, TOKEN);
    }
  } finally {
    srv.child.kill('SIGTERM');
    await srv.exited;
  }
});

if (await redisAvailable()) {
  test('directly on Redis: a server sharing it closes the members of an ended room', async () => {
    const prefix = testPrefix();
    const opts = { url: REDIS_URL, prefix };
    const [storage, bus] = await Promise.all([createRedisStorage(opts), createRedisEventBus(opts)]);
    const srv = await startServer({ storage, bus });
    try {
      const roomId = await createRoom(srv.url);
      const ben = await TestClient.connect(srv.url);
      await ben.join(roomId, 'ben');
      const env = { TINY_CHAT_STORAGE: 'redis', REDIS_URL, TINY_CHAT_REDIS_PREFIX: prefix };
      const listed = await rooms(['list'], env);
      assert.is(listed.code, 0, listed.stderr);
      assert.equal(rows(listed.stdout), [[roomId, '1', '1']]);
      const ended = await rooms(['end', roomId], env);
      assert.is(ended.code, 0, ended.stderr);
      assert.is((await ben.next('closing')).reason, 'ended');
      assert.is((await ben.waitClosed()).code, 4411);
    } finally {
      await srv.stop();
      await Promise.all([storage.close(), bus.close()]);
      await dropPrefix(prefix);
    }
  });
}

test.run();
