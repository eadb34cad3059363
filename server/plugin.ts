/**
 * The tiny-chat Fastify plugin: REST room routes, the /ws endpoint, the hub
 * and the timers, on whatever Fastify instance registers it. Storage is the
 * caller's: the plugin never closes it.
 */
import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { availableParallelism } from 'node:os';
import { ChatError } from '../protocol/errors.js';
import { createContext, type Context } from './context.js';
import { Hub } from './fanout/hub.js';
import { restRateLimit } from './http/rest-limit.js';
import { roomRoutes } from './http/rooms.js';
import { transcriptRoutes, VERIFY_PATH } from './http/transcript.js';
import { loadServerSigner } from './transcript/server-key.js';
import { Lifecycle } from './lifecycle.js';
import { resolveOptions } from './options/resolve.js';
import type { TinyChatOptions } from './options/schema.js';
import { Session } from './session/session.js';
import { upgradeGuard } from './socket/admission.js';
import { staticRoutes, verifyPageRoute } from './static.js';
import { ed25519 } from './verify/ed25519.js';
import { VerifyPool } from './verify/verify-pool.js';
import { restError, restErrorOf } from './wire/build.js';
import { operationsRoutes } from './http/operations.js';
import { operatorRoutes } from './http/operator.js';
import { Metrics } from './metrics.js';
import { ClientSocket } from './socket/client-socket.js';
import { releaseUpgrade } from './socket/upgrade.js';
import { guardBus, StorageGuard } from './storage-guard.js';

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
  const given = resolveOptions(options);
  const ownPool = given.verifier === undefined ? new VerifyPool(availableParallelism()) : undefined;
  const verifier = given.verifier ?? ownPool!;
  // Metrics off means none of it exists; its gauges read the context when scraped.
  const metrics = given.metrics
    ? new Metrics({
        sockets: () => ctx.connections.size,
        rooms: () => ctx.hub.size,
        verifyDepth: () => (verifier instanceof VerifyPool ? verifier.depth : undefined),
      })
    : undefined;
  const guard = new StorageGuard(given.storage, given.limits.storageTimeoutMs, fastify.log, metrics);
  // Every part of the server below uses storage through the guard.
  const resolved = { ...given, storage: guard.storage, bus: guardBus(given.bus, fastify.log) };
  const hub = new Hub({
    storage: resolved.storage,
    bus: resolved.bus,
    clock: resolved.clock,
    log: fastify.log,
    gapTimeoutMs: resolved.limits.gapTimeoutMs,
    historyCap: resolved.limits.historyCap,
    presenceTickMs: resolved.limits.presenceTickMs,
    metrics,
  });
  const ctx = createContext(resolved, hub, verifier, guard, metrics);
  // Made or read once at start: every instance on this storage signs with the same key.
  const signer = await loadServerSigner(given.storage);
  const lifecycle = new Lifecycle(ctx, fastify.log);

  await fastify.register(websocket, {
    // Frames over maxFrameBytes get an error frame; only far larger ones cost the socket.
    // permessage-deflate stays off (ws's server default): a compressed frame is closed with 1002.
    options: { maxPayload: resolved.limits.maxFrameBytes * 4, perMessageDeflate: false },
    // For errors before the route handler runs; after it, the ClientSocket's listener takes over.
    errorHandler: ctx.sockets.onError,
    preClose(done) {
      const server = this.websocketServer;
      // Sockets close and leave their rooms while storage is still open (the caller closes it after).
      void lifecycle.drain().finally(() => {
        server.close();
        done();
      });
    },
  });

  await fastify.register(async (app: FastifyInstance) => {
    await app.register(cors, { origin: resolved.corsOrigin, methods: ['GET', 'POST'] });
    app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
      if (err instanceof ChatError) return reply.code(err.spec.status).send(restError(err));
      const status = err.statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        // Fastify's own client errors (bad JSON body, too large...): keep its status, use our code.
        return reply.code(status).send(restError(new ChatError('bad-request', err.message), status));
      }
      request.log.error({ err }, 'request failed');
      return reply.code(500).send(restErrorOf('internal'));
    });
    await restRateLimit(app, ctx.security.config, ctx.options.rates, ctx.options.limits.storageTimeoutMs);
    await roomRoutes(app, ctx);
    operatorRoutes(app, ctx);
    await transcriptRoutes(app, ctx, signer);
    app.get(
      '/ws',
      { websocket: true, onRequest: upgradeGuard(ctx.security.config), config: { rateLimit: false } },
      (socket, request) => {
        new Session(socket, ctx, request.log);
        releaseUpgrade(socket, request.raw, ClientSocket.errorListener);
      },
    );
  });

  if (resolved.demo) await staticRoutes(fastify);
  if (!verifyPageRoute(fastify, VERIFY_PATH))
    fastify.log.info(`${VERIFY_PATH} is not served: run \`npm run build\` first`);

  operationsRoutes(fastify, ctx, () => lifecycle.draining);

  fastify.decorate('tinyChat', {
    context: ctx,
    sweep: () => lifecycle.sweep(),
    heartbeat: () => lifecycle.heartbeat(),
    refreshPresence: () => lifecycle.refreshPresence(),
  } satisfies TinyChatDecoration);

  fastify.addHook('onReady', async () => {
    fastify.log.info({ ed25519: ed25519.library }, `Ed25519 signatures verified with ${ed25519.library}`);
    await ctx.hub.start();
    lifecycle.start();
  });
  fastify.addHook('onClose', async () => {
    lifecycle.stop();
    guard.stop();
    await ctx.hub.stop();
    await ownPool?.close();
    metrics?.close();
  });
};

export const tinyChat = fp(plugin, { name: 'tiny-chat', fastify: '5.x' });
