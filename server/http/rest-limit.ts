/**
 * The REST rate limit per IP address (@fastify/rate-limit, in-memory per
 * instance), answered with the same coded body as every other REST error.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ChatError } from '../../protocol/errors.js';
import type { Security } from '../options/schema.js';

export async function restRateLimit(app: FastifyInstance, security: Readonly<Security>): Promise<void> {
  await app.register(rateLimit, {
    max: security.restRateMax,
    timeWindow: security.restRateWindowMs,
    // Thrown by the plugin, so the scope's error handler writes the body.
    errorResponseBuilder: (_request, context) =>
      new ChatError('rate-limited', undefined, { retryAfterMs: Math.max(1, context.ttl) }),
  });
}
