/**
 * Public entry point of `tiny-chat/server`: the Fastify plugin, a ready-made
 * server, and the option types.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { tinyChat } from './plugin.js';
import type { TinyChatOptions } from './config.js';

export { tinyChat, type TinyChatDecoration } from './plugin.js';
export { DEFAULT_LIMITS, type Clock, type Limits, type TinyChatOptions } from './config.js';
export default tinyChat;

export interface CreateServerOptions extends TinyChatOptions {
  /** Passed to Fastify: `false`, `true`, or pino options. */
  logger?: FastifyServerOptions['logger'];
}

/** A Fastify instance with tiny-chat registered; call `listen()` on it. */
export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  const { logger = false, ...chat } = options;
  const app = Fastify({
    logger,
    // Slowloris: a client gets this long to send its request headers.
    requestTimeout: 30_000,
    bodyLimit: 64 * 1024,
  });
  await app.register(tinyChat, chat);
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ statusCode: 404, code: 'not-found', message: 'There is nothing at this address.' });
  });
  return app;
}
