/**
 * The tiny-chat Fastify plugin: REST room routes, the /ws endpoint, the hub
 * and the timers, on whatever Fastify instance registers it. Storage is the
 * caller's: the plugin never closes it.
 */
import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { ChatError } from '../protocol/errors.js';
import type { ClosingFrame } from '../protocol/frames.js';
import { resolveOptions } from './options/resolve.js';
import type { TinyChatOptions } from './options/schema.js';
import { Connection } from './connection.js';
import { createContext, type Context } from './context.js';
import { Hub } from './hub.js';
import { Lifecycle } from './lifecycle.js';
import { joinDeadline, upgradeGuard } from './limits.js';
import { restRateLimit } from './rest-limit.js';
import { roomRoutes } from './rooms.js';
import { staticRoutes } from './static.js';

export interface TinyChatDecoration {
  readonly context: Context;
  /** Runs the expiry sweep now (tests with a fake clock call this). */
  sweep(): Promise<void>;
  /** Runs the ping and presence heartbeat now. */
  heartbeat(): Promise<void>;
  /** Refreshes this instance's presence in storage now, without pinging. */
  refreshPresence(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    tinyChat: TinyChatDecoration;
  }
}

const plugin: FastifyPluginAsync<TinyChatOptions> = async (fastify, options) => {
  const resolved = resolveOptions(options);
  const hub = new Hub({
    storage: resolved.storage,
    clock: resolved.clock,
    log: fastify.log,
    gapTimeoutMs: resolved.limits.gapTimeoutMs,
    historyCap: resolved.limits.historyCap,
  });
  const ctx = createContext(resolved, hub);
  const lifecycle = new Lifecycle(ctx, fastify.log);

  await fastify.register(websocket, {
    // Frames over maxFrameBytes get an error frame; only far larger ones cost the socket.
    options: { maxPayload: resolved.limits.maxFrameBytes * 4 },
    preClose(done) {
      const frame: ClosingFrame = {
        type: 'closing',
        code: 'server-shutdown',
        reason: 'shutdown',
        message: 'The server is shutting down; reconnect later.',
      };
      for (const conn of ctx.connections) conn.closeWith(frame, 1001);
      this.websocketServer.close();
      done();
    },
  });

  await fastify.register(async (app: FastifyInstance) => {
    await app.register(cors, { origin: resolved.corsOrigin, methods: ['GET', 'POST'] });
    app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
      if (err instanceof ChatError) {
        return reply
          .code(err.spec.status)
          .send({ statusCode: err.spec.status, code: err.code, message: err.message, ...err.details });
      }
      const status = err.statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        // Fastify's own client errors (bad JSON body, too large...): keep its status, use our code.
        return reply.code(status).send({ statusCode: status, code: 'bad-request', message: err.message });
      }
      request.log.error({ err }, 'request failed');
      const internal = new ChatError('internal');
      return reply.code(500).send({ statusCode: 500, code: internal.code, message: internal.message });
    });
    await restRateLimit(app, ctx.security.config);
    await roomRoutes(app, ctx);
    app.get(
      '/ws',
      { websocket: true, onRequest: upgradeGuard(ctx.security.config), config: { rateLimit: false } },
      (socket, request) => {
        const conn = new Connection(socket, ctx, request.log);
        joinDeadline(socket, () => conn.roomId !== '', ctx.security.config.joinTimeoutMs);
      },
    );
  });

  if (resolved.demo) await staticRoutes(fastify);

  fastify.get('/healthz', async (_request, reply) => {
    try {
      await resolved.storage.ping();
      return { status: 'ok', instanceId: resolved.instanceId, connections: ctx.connections.size };
    } catch (err) {
      fastify.log.error({ err }, 'storage ping failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  fastify.decorate('tinyChat', {
    context: ctx,
    sweep: () => lifecycle.sweep(),
    heartbeat: () => lifecycle.heartbeat(),
    refreshPresence: () => lifecycle.refreshPresence(),
  } satisfies TinyChatDecoration);

  fastify.addHook('onReady', async () => {
    await hub.start();
    lifecycle.start();
  });
  fastify.addHook('onClose', async () => {
    lifecycle.stop();
    await hub.stop();
  });
};

export const tinyChat = fp(plugin, { name: 'tiny-chat', fastify: '5.x' });
