/**
 * Public entry point of `tiny-chat/server`: the Fastify plugin, a ready-made
 * server, and the option types.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { tinyChat, type TinyChatPluginOptions } from './plugin.js';
import { restErrorOf } from './wire/build.js';

export { tinyChat, type TinyChatDecoration, type TinyChatPluginOptions } from './plugin.js';
export type { Verifier } from './context.js';
export { VerifyPool } from './verify/verify-pool.js';
export { DEFAULT_LIMITS, type Clock, type Limits, type TinyChatOptions } from './config.js';
export { DEFAULT_SECURITY, type Rate, type SecurityOptions } from './security-config.js';
export type { OidcIssuer } from './auth.js';
export default tinyChat;

export interface CreateServerOptions extends TinyChatPluginOptions {
  /** Passed to Fastify: `false`, `true`, or pino options. */
  logger?: FastifyServerOptions['logger'];
  /** Proxies whose X-Forwarded-For is believed (Fastify `trustProxy`); per-IP limits need it behind one. */
  trustProxy?: boolean | string | string[];
  /** Slowloris: a client gets this long to send its request headers. */
  headersTimeoutMs?: number;
  /** A whole request (headers and body) must arrive within this. */
  requestTimeoutMs?: number;
  /** An idle keep-alive HTTP connection is closed after this. */
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_HTTP_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };

/** A Fastify instance with tiny-chat registered; call `listen()` on it. */
export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  const {
    logger = false,
    trustProxy = false,
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs,
    ...chat
  } = options;
  const timeouts = httpTimeouts({ headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs });
  const app = Fastify({
    logger,
    trustProxy,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    http: {
      headersTimeout: timeouts.headersTimeoutMs,
      // Node enforces the two timeouts above on this period (30 s by default).
      connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
    },
    bodyLimit: 64 * 1024,
  });
  await app.register(tinyChat, chat);
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(restErrorOf('not-found'));
  });
  return app;
}

function httpTimeouts(given: Partial<typeof DEFAULT_HTTP_TIMEOUTS>): typeof DEFAULT_HTTP_TIMEOUTS {
  const out = { ...DEFAULT_HTTP_TIMEOUTS };
  for (const name of Object.keys(out) as (keyof typeof out)[]) {
    const value = given[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(`tiny-chat: option "${name}" must be a positive integer, got ${String(value)}`);
    }
    out[name] = value;
  }
  // Node requires it: headers arrive within the request deadline.
  if (out.headersTimeoutMs > out.requestTimeoutMs) {
    throw new TypeError('tiny-chat: option "headersTimeoutMs" must not exceed "requestTimeoutMs"');
  }
  return out;
}
