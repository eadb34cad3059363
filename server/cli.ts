#!/usr/bin/env node
/**
 * The `tiny-chat` command: reads flags and environment (server/cli-options.ts),
 * opens storage (and for Redis the event bus that goes with it), serves until
 * SIGINT/SIGTERM, then closes sockets with 1001 and storage cleanly.
 */
import type { SqliteSynchronous } from '../adapters/sqlite/index.js';
import type { EventBus, Storage } from '../adapters/types.js';
import { helpText, parseCli, type ParsedConfig } from './cli-options.js';
import { securityOptions } from './cli-security.js';
import { createServer, type CreateServerOptions } from './index.js';

/** The storage, and the bus when the storage is shared (else the server makes its local one). */
async function openStorage(config: ParsedConfig): Promise<{ storage: Storage; bus?: EventBus }> {
  switch (config.storage) {
    case 'memory': {
      const { createMemoryStorage } = await import('../adapters/memory.js');
      return { storage: await createMemoryStorage() };
    }
    case 'sqlite': {
      const { createSqliteStorage } = await import('../adapters/sqlite/index.js');
      const storage = await createSqliteStorage({
        path: config.db as string,
        synchronous: config['sqlite-synchronous'] as SqliteSynchronous,
      });
      return { storage };
    }
    case 'redis': {
      const { createRedisEventBus, createRedisStorage } = await import('../adapters/redis/index.js');
      const redis = { url: config['redis-url'] as string, prefix: config['redis-prefix'] as string };
      return { storage: await createRedisStorage(redis), bus: await createRedisEventBus(redis) };
    }
    default:
      throw new TypeError(`unknown storage "${String(config.storage)}"`);
  }
}

async function main(): Promise<void> {
  let config: ParsedConfig;
  let security: Partial<CreateServerOptions>;
  try {
    config = parseCli(process.argv.slice(2), process.env);
    security = securityOptions(config);
  } catch (err) {
    process.stderr.write(`tiny-chat: ${(err as Error).message}\n\n${helpText()}\n`);
    process.exit(2);
  }
  if (config.help === true) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  const { storage, bus } = await openStorage(config);
  const origins = config['cors-origin'] as string[];
  const app = await createServer({
    storage,
    bus,
    logger: { level: config['log-level'] as string },
    maxTextLength: config['max-text-length'] as number,
    historyCap: config['history-cap'] as number,
    historyPage: config['history-page'] as number,
    maxFrameBytes: config['max-frame-bytes'] as number,
    idleTimeoutMs: config['idle-timeout'] as number,
    maxLifetimeMs: config['max-lifetime'] as number,
    clockSkewMs: config['clock-skew'] as number,
    pingIntervalMs: config['ping-interval'] as number,
    sweepIntervalMs: config['sweep-interval'] as number,
    corsOrigin: origins.includes('*') ? true : origins,
    ...security,
    demo: config.demo === 'on',
  });
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await Promise.all([storage.close(), bus?.close()]);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port as number, host: config.host as string });
}

main().catch((err: unknown) => {
  process.stderr.write(`tiny-chat: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
