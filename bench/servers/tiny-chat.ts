/**
 * The tiny-chat server as the bench runs it: the library's createServer with
 * the CLI's defaults and logging off, on the storage named by argv[2]
 * (`sqlite`, the CLI default, in a fresh temporary file; `memory`; or
 * `redis`, with the Redis url and key prefix as argv[3] and argv[4]).
 *
 * The abuse limits are raised: a bench socket sends thousands of messages a
 * second and 10,000 sockets come from one address, so the default limits
 * would measure the limiter. The limiter still runs on every message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBus, Storage } from '../../adapters/types.js';
import { createServer } from '../../server/index.js';
import { serve } from '../lib/serve.js';
import { threadIds, threadSeconds, threadTimes } from '../lib/threads.js';
import { tracedVerifyPool } from '../lib/traced-verify-pool.js';

const kind = process.argv[2] ?? 'sqlite';
const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-bench-'));

async function openStorage(): Promise<{ storage: Storage; bus?: EventBus }> {
  if (kind === 'memory') {
    const { createMemoryStorage } = await import('../../adapters/memory.js');
    return { storage: await createMemoryStorage() };
  }
  if (kind === 'sqlite') {
    const { createSqliteStorage } = await import('../../adapters/sqlite/index.js');
    return { storage: await createSqliteStorage({ path: join(dir, 'chat.db'), synchronous: 'normal' }) };
  }
  if (kind === 'redis') {
    const { createRedisEventBus, createRedisStorage } = await import('../../adapters/redis/index.js');
    const redis = { url: process.argv[3]!, prefix: process.argv[4]! };
    return { storage: await createRedisStorage(redis), bus: await createRedisEventBus(redis) };
  }
  throw new Error(`unknown storage ${kind}`);
}

const { storage, bus } = await openStorage();
const verify = tracedVerifyPool();
const UNLIMITED = { perSecond: 1_000_000, burst: 1_000_000 };
const app = await createServer({
  storage,
  ...(bus ? { bus } : {}),
  verifier: verify.pool,
  logger: false,
  connectionMessageRate: UNLIMITED,
  userMessageRate: UNLIMITED,
  anonymousRoomsPerIp: 1_000_000,
  restRateMax: 1_000_000,
  maxConnectionsPerIp: 1_000_000,
});
// Measured with its verify threads loaded (jobs before that are verified on the event loop).
await verify.pool.ready();
await app.listen({ port: 0, host: '127.0.0.1' });

serve({
  address: () => {
    const a = app.server.address();
    if (!a || typeof a === 'string') throw new Error('unexpected address');
    return { url: `http://127.0.0.1:${a.port}`, storage: kind };
  },
  connections: () => app.tinyChat.context.connections.size,
  stats: () => app.tinyChat.context.hub.stats(),
  threads: () => threadCpu(),
});

/**
 * CPU seconds so far: the main thread (and of it, the time in the kernel: socket reads and writes, SQLite's
 * file writes), the verify threads, and every other thread (GC, libuv, checkpoints).
 */
function threadCpu(): { main: number; mainSystem: number; verify: number; other: number } {
  const pid = process.pid;
  const verifyTids = new Set(verify.tids());
  const main = threadTimes(pid, pid);
  const out = { main: main.user + main.system, mainSystem: main.system, verify: 0, other: 0 };
  for (const tid of threadIds(pid)) {
    if (tid === pid) continue;
    const s = threadSeconds(pid, tid);
    if (verifyTids.has(tid)) out.verify += s;
    else out.other += s;
  }
  return out;
}

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
