/**
 * Public entry point of `tiny-chat/server`: the Fastify plugin, a ready-made
 * server, and the option types (all from server/options/schema.ts).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { tinyChat } from './plugin.js';
import { DEFAULT_HTTP, resolveHttp } from './options/resolve.js';
import type { HttpOptions, TinyChatOptions } from './options/schema.js';
import { restErrorOf } from './wire/build.js';

export { tinyChat, type TinyChatDecoration } from './plugin.js';
export type { Clock } from './clock.js';
export type { Verifier } from './verify/verifier.js';
export { VerifyPool } from './verify/verify-pool.js';
export { DEFAULT_LIMITS, DEFAULT_SECURITY } from './options/resolve.js';
export type { HttpOptions, Limits, OidcIssuer, Rate, SecurityOptions, TinyChatOptions } from './options/schema.js';
export default tinyChat;

export interface CreateServerOptions extends TinyChatOptions, Partial<HttpOptions> {
  /** Passed to Fastify: `false`, `true`, or pino options. */
  logger?: FastifyServerOptions['logger'];
}

export const DEFAULT_HTTP_TIMEOUTS = {
  headersTimeoutMs: DEFAULT_HTTP.headersTimeoutMs,
  requestTimeoutMs: DEFAULT_HTTP.requestTimeoutMs,
  keepAliveTimeoutMs: DEFAULT_HTTP.keepAliveTimeoutMs,
};

/** A Fastify instance with tiny-chat registered; call `listen()` on it. */
export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  const { logger = false, trustProxy, headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, ...chat } = options;
  const http = resolveHttp({ trustProxy, headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs });
  const app = Fastify({
    logger,
    trustProxy: http.trustProxy,
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: {
      headersTimeout: http.headersTimeoutMs,
      // Node enforces the two timeouts above on this period (30 s by default).
      connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs),
    },
    bodyLimit: 64 * 1024,
  });
  await app.register(tinyChat, chat);
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(restErrorOf('not-found'));
  });
  return app;
}
