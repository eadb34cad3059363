/**
 * The routes for operators and load balancers: `/healthz` (is this process
 * and its storage well), `/readyz` (should it get traffic now) and, when the
 * `metrics` option is on, `/metrics` for Prometheus. docs/deployment.md
 * describes the answers.
 *
 * Must never: keep a health check waiting on a stalled storage for longer
 * than the probe bound, or expose /metrics when metrics are off.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Context } from '../context.js';
import { ed25519 } from '../verify/ed25519.js';
import { PROBE_TIMEOUT_MS, StorageTimeout } from '../storage-guard.js';

/** Why a check answers 503; the `reason` field of its body. */
type Unwell = 'storage-unavailable' | 'storage-timeout' | 'storage-error' | 'shutting-down';

function unwell(reply: FastifyReply, reason: Unwell): FastifyReply {
  return reply.code(503).send({ status: 'unavailable', reason });
}

export function operationsRoutes(app: FastifyInstance, ctx: Context, draining: () => boolean): void {
  const { instanceId } = ctx.options;

  // Liveness with storage: a real ping, bounded, unless storage is already known to be down.
  app.get('/healthz', async (_request, reply) => {
    if (ctx.guard.down) return unwell(reply, 'storage-unavailable');
    try {
      await ctx.guard.probe();
    } catch (err) {
      // Debug: a load balancer polls this; the storage guard logs outages once.
      app.log.debug({ err, timeoutMs: PROBE_TIMEOUT_MS }, 'health check: storage did not answer');
      return unwell(reply, err instanceof StorageTimeout ? 'storage-timeout' : 'storage-error');
    }
    // rooms: rooms with a socket here (their events are subscribed); events: room events received since start.
    return {
      status: 'ok',
      instanceId,
      connections: ctx.connections.size,
      ...ctx.hub.stats(),
      ed25519: ed25519.library,
    };
  });

  // Readiness: answered at once from what the server already knows, never by asking storage.
  app.get('/readyz', async (_request, reply) => {
    if (draining()) return unwell(reply, 'shutting-down');
    if (ctx.guard.down) return unwell(reply, 'storage-unavailable');
    return { status: 'ready', instanceId };
  });

  const metrics = ctx.metrics;
  if (metrics) {
    app.get('/metrics', async (_request, reply) => {
      const { body, contentType } = await metrics.scrape();
      return reply.type(contentType).send(body);
    });
  }
}
