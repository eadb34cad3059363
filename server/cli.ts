#!/usr/bin/env node
/**
 * The `tiny-chat` command: reads flags and environment
 * (server/options/command-line.ts), opens storage (and for Redis the event
 * bus that goes with it), serves until SIGINT/SIGTERM, then closes sockets
 * with 1001, waits for them to leave their rooms, and only then closes
 * storage. `tiny-chat rooms …` is the operator's command (./rooms-command.ts);
 * `tiny-chat verify` checks a transcript offline (./verify-command.ts).
 */
import type { RedisLogger } from '../adapters/redis/connection.js';
import type { EventBus, RateStore, Storage } from '../adapters/types.js';
import { helpText, parseCli, type ParsedCli } from './options/command-line.js';
import type { Command } from './options/schema.js';
import { createServer } from './index.js';

/** The storage, and the bus and rate buckets when the storage is shared (else the server keeps its own). */
async function openStorage(
  command: Command,
  logger: RedisLogger,
): Promise<{ storage: Storage; bus?: EventBus; rates?: RateStore }> {
  switch (command.storage) {
    case 'memory': {
      const { createMemoryStorage } = await import('../adapters/memory.js');
      return { storage: await createMemoryStorage() };
    }
    case 'sqlite': {
      const { createSqliteStorage } = await import('../adapters/sqlite/index.js');
      return { storage: await createSqliteStorage({ path: command.db, synchronous: command.sqliteSynchronous }) };
    }
    case 'redis': {
      const { createRedisEventBus, createRedisRateStore, createRedisStorage } =
        await import('../adapters/redis/index.js');
      // A list of seeds means a cluster even without the flag (connection.ts).
      const redis = {
        url: command.redisUrl,
        prefix: command.redisPrefix,
        logger,
        ...(command.redisCluster ? { cluster: true } : {}),
      };
      return {
        storage: await createRedisStorage(redis),
        bus: await createRedisEventBus(redis),
        rates: await createRedisRateStore(redis),
      };
    }
  }
}

/** A refused option: the message, the help, exit code 2. */
function refuse(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  // The library's errors already say whose they are.
  const text = message.startsWith('tiny-chat: ') ? message : `tiny-chat: ${message}`;
  process.stderr.write(`${text}\n\n${helpText()}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'rooms') {
    const { roomsCommand } = await import('./rooms-command.js');
    const outcome = await roomsCommand(process.argv.slice(3), process.env);
    process.stdout.write(outcome.out);
    process.stderr.write(outcome.err);
    process.exitCode = outcome.code;
    return;
  }
  if (process.argv[2] === 'verify') {
    // A subcommand of its own: checks a transcript offline, no server, no storage.
    const { runVerify } = await import('./verify-command.js');
    process.exitCode = await runVerify(process.argv.slice(3), process.stdout, process.stderr);
    return;
  }
  let parsed: ParsedCli;
  try {
    parsed = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    refuse(err);
  }
  if (parsed.help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  const { command, serving, limits, security, http } = parsed;
  // Redis outages are reported through the server's log, which exists once the server does.
  const to: { log?: RedisLogger } = {};
  const { storage, bus, rates } = await openStorage(command, {
    error: (obj, msg) => to.log?.error(obj, msg),
    warn: (obj, msg) => to.log?.warn(obj, msg),
    info: (obj, msg) => to.log?.info(obj, msg),
  });
  const closeStorage = (): Promise<unknown> => Promise.all([storage.close(), bus?.close(), rates?.close()]);
  // Options that pass alone can still break a rule between two (a page above the cap).
  const app = await createServer({
    storage,
    bus,
    rates,
    logger: { level: command.logLevel },
    ...serving,
    ...limits,
    ...security,
    ...http,
  }).catch(async (err: unknown) => {
    await closeStorage();
    if (err instanceof TypeError) refuse(err);
    throw err;
  });
  to.log = app.log;
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await closeStorage();
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: command.port, host: command.host });
}

main().catch((err: unknown) => {
  process.stderr.write(`tiny-chat: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
