/**
 * What the Redis storage and the Redis event bus share: how to reach Redis
 * (one server, or a Redis Cluster through its seed nodes) and under which
 * prefix, and how a client is made from that. Each of them opens its own
 * connections, so a slow script never delays an event and a subscribed
 * connection (which can run no other command) is never shared.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

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
}

export const DEFAULT_PREFIX = 'tiny-chat';

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

export function connect(options: RedisConnectionOptions): RedisClient {
  if (!isCluster(options)) return new Redis(options.url, { maxRetriesPerRequest: 3, ...options.redis });
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
