import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createServer } from '../../server/index.js';
import { resolveOptions } from '../../server/config.js';

test('bad options are refused at register time with an exact message', async () => {
  const storage = await createMemoryStorage();
  assert.throws(
    () => resolveOptions({ storage, maxTextLength: 0 }),
    (e: Error) =>
      e instanceof TypeError && e.message === 'tiny-chat: option "maxTextLength" must be a positive integer, got 0',
  );
  assert.throws(
    () => resolveOptions({ storage, historyCap: 1.5 }),
    (e: Error) => e.message === 'tiny-chat: option "historyCap" must be a positive integer, got 1.5',
  );
  assert.throws(
    () => resolveOptions({ storage, idleTimeoutMs: '300' as unknown as number }),
    (e: Error) => e.message === 'tiny-chat: option "idleTimeoutMs" must be a positive integer, got 300',
  );
  assert.throws(
    () => resolveOptions({ storage: {} as never }),
    (e: Error) => e.message === 'tiny-chat: option "storage" must be a Storage adapter',
  );
  assert.throws(
    () => resolveOptions({ storage, historyCap: 10, historyPage: 20 }),
    (e: Error) => e.message === 'tiny-chat: option "historyPage" must not exceed "historyCap"',
  );
  assert.throws(
    () => resolveOptions({ storage, instanceId: 'a b' }),
    (e: Error) => e.message === 'tiny-chat: option "instanceId" must be 1-64 characters of [A-Za-z0-9_-]',
  );
  // Good options start a server: a rejection here fails the test.
  const app = await createServer({ storage });
  await app.close();
  let failed: unknown;
  try {
    await createServer({ storage, pingIntervalMs: -1 });
  } catch (err) {
    failed = err;
  }
  assert.ok(failed instanceof TypeError);
  await storage.close();
});

test('defaults are the documented ones', async () => {
  const storage = await createMemoryStorage();
  const { limits } = resolveOptions({ storage });
  assert.is(limits.maxTextLength, 1000);
  assert.is(limits.historyCap, 500);
  assert.is(limits.idleTimeoutMs, 5 * 60_000);
  assert.is(limits.maxLifetimeMs, 12 * 3600_000);
  assert.is(limits.maxFrameBytes, 16384);
  await storage.close();
});

test.run();
