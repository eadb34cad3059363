/**
 * Runs the adapter's Lua scripts by EVALSHA, loading one on the first NOSCRIPT
 * (after a Redis restart, a failover, or on a cluster node that has not seen
 * it yet). Every script names the one key it is routed by as KEYS[1], so a
 * Redis Cluster sends it to the node that holds that key's slot.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './connection.js';

export type Reply = (string | null)[];

export class ScriptRunner<Name extends string> {
  readonly #redis: RedisClient;
  readonly #sources: Readonly<Record<Name, string>>;
  readonly #sha = new Map<Name, string>();

  constructor(redis: RedisClient, sources: Readonly<Record<Name, string>>) {
    this.#redis = redis;
    this.#sources = sources;
    for (const name of Object.keys(sources) as Name[]) {
      this.#sha.set(name, createHash('sha1').update(sources[name]).digest('hex'));
    }
  }

  async run(name: Name, key: string, args: (string | number)[]): Promise<Reply> {
    try {
      return (await this.#redis.evalsha(this.#sha.get(name)!, 1, key, ...args)) as Reply;
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return (await this.#redis.eval(this.#sources[name], 1, key, ...args)) as Reply;
    }
  }
}
