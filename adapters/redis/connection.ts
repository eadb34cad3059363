/**
 * What the Redis storage and the Redis event bus share: how to reach Redis
 * (one server, or a Redis Cluster through its seed nodes) and under which
 * prefix, and how a client is made from that. Each of them opens its own
 * connections, so a slow script never delays an event and a subscribed
 * connection (which can run no other command) is never shared.
 *
 * Every client made here has an 'error' listener (else ioredis prints each
 * failed reconnect to stderr as an unhandled error event) that reports an
 * outage once when it starts, once when it ends, and at most one summary
 * line every 30 s in between.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** Where connection trouble is reported; pino and Fastify's logger fit. */
export interface RedisLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface RedisConnectionOptions {
  /**
   * redis://[user:password@]host:port[/db]; rediss:// for TLS. For Redis
   * Cluster, one or more seed nodes, comma-separated (any node of the cluster
   * will do; more than one survives a seed being down).
   */
  url: string;
  /** Talk to a Redis Cluster (ioredis `Cluster`). Default: true when `url` lists more than one node. */
  cluster?: boolean;
  /** Prefix of every key and of the event channels; instances sharing rooms share it. Default "tiny-chat". */
  prefix?: string;
  /** Extra ioredis options (TLS, sentinels...); with a cluster, passed as each node's `redisOptions`. */
  redis?: RedisOptions;
  /** Extra ioredis `Cluster` options, with a cluster only. */
  clusterOptions?: ClusterOptions;
  /** Where outages are reported; silent without one (the server reports storage outages itself). */
  logger?: RedisLogger;
}

export const DEFAULT_PREFIX = 'tiny-chat';

const SUMMARY_EVERY_MS = 30_000;

/** A client of one Redis or of a cluster; both run the same commands and scripts here. */
export type RedisClient = Redis | Cluster;

const seeds = (url: string): string[] =>
  url
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');

export function isCluster(options: RedisConnectionOptions): boolean {
  return options.cluster ?? seeds(options.url).length > 1;
}

export function connect(options: RedisConnectionOptions, role: string): RedisClient {
  const client = isCluster(options)
    ? clusterClient(options)
    : new Redis(options.url, { maxRetriesPerRequest: 3, ...options.redis });
  watch(client, role, options.logger);
  return client;
}

function clusterClient(options: RedisConnectionOptions): Cluster {
  const nodes = seeds(options.url).map((u) => {
    const parsed = new URL(u);
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  const first = new URL(seeds(options.url)[0]!);
  const auth = {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return new Cluster(nodes, {
    // SSUBSCRIBE needs a subscriber on the shard that owns each channel's slot.
    shardedSubscribers: true,
    redisOptions: { maxRetriesPerRequest: 3, ...auth, ...options.redis },
    ...options.clusterOptions,
  });
}

/** Attaches the error listener and the outage report to a client (also to each `duplicate()`). */
export function watch(client: RedisClient, role: string, logger: RedisLogger | undefined): void {
  let downSince: number | undefined;
  let errors = 0;
  let lastSummary = 0;
  client.on('error', (err: Error) => {
    const now = Date.now();
    if (downSince === undefined) {
      downSince = lastSummary = now;
      errors = 1;
      logger?.error({ role, reason: err.message }, 'redis unreachable');
      return;
    }
    errors++;
    if (now - lastSummary < SUMMARY_EVERY_MS) return;
    lastSummary = now;
    logger?.warn({ role, errors, downMs: now - downSince, reason: err.message }, 'redis still unreachable');
  });
  client.on('ready', () => {
    if (downSince === undefined) return;
    logger?.info({ role, errors, downMs: Date.now() - downSince }, 'redis reachable again');
    downSince = undefined;
  });
}
