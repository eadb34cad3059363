/**
 * The server key on each storage, through a real server's
 * /.well-known/tiny-chat.json: SQLite keeps it in a 0600 file beside the
 * database, so a restart on the same file publishes the same key; two
 * instances on one Redis publish one key; the memory storage makes one per
 * process.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import { serverKeyPath } from '../../adapters/sqlite/server-key.js';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import type { WellKnown } from '../../protocol/transcript.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { startServer, type Running } from '../helpers/server.js';

const test = suite('server key kept with storage');

async function publishedKey(srv: Running): Promise<string> {
  const res = await fetch(`${srv.url}/.well-known/tiny-chat.json`);
  assert.is(res.status, 200);
  const body = (await res.json()) as WellKnown;
  assert.is(body.key.alg, 'Ed25519');
  return body.key.pub;
}

test('SQLite: a restart on the same database publishes the same key, kept in a 0600 file beside it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-key-'));
  const path = join(dir, 'chat.db');
  try {
    const first = await startServer({ storage: await createSqliteStorage({ path }) });
    const pub = await publishedKey(first);
    await first.stop();
    await first.storage.close();
    assert.is(statSync(serverKeyPath(path)).mode & 0o777, 0o600);
    const second = await startServer({ storage: await createSqliteStorage({ path }) });
    assert.is(await publishedKey(second), pub);
    await second.stop();
    await second.storage.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('memory: each process has a key of its own', async () => {
  const [a, b] = await Promise.all([startServer(), startServer()]);
  try {
    assert.is.not(await publishedKey(a), await publishedKey(b));
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test('Redis: two instances starting together on one Redis publish one key', async () => {
  if (!(await redisAvailable())) return;
  const prefix = testPrefix();
  const buses = await Promise.all([0, 1].map(() => createRedisEventBus({ url: REDIS_URL, prefix })));
  const open = async (i: number): Promise<Running> =>
    startServer({ storage: await createRedisStorage({ url: REDIS_URL, prefix }), bus: buses[i] });
  const [a, b] = await Promise.all([open(0), open(1)]);
  try {
    assert.is(await publishedKey(a), await publishedKey(b));
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all([a.storage.close(), b.storage.close(), ...buses.map((bus) => bus.close())]);
    await dropPrefix(prefix);
  }
});

test.run();
