/**
 * Socket-level abuse limits: the Origin allowlist and the per-IP connection
 * cap (both refused at the upgrade, before any 101), the join deadline, and
 * the bounded send buffer.
 *
 * Must never: let one slow or idle socket hold memory or delay others without
 * bound, or answer an upgrade from a refused origin with anything but 403.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { ChatError, type ErrorCode } from '../protocol/errors.js';
import { sendEncoded, type EncodedFrame } from './encoded-frame.js';
import { errorFrame } from './error-frame.js';
import type { Security } from './options/schema.js';

/** Closes a socket for a limit: an error frame when it can still be delivered, then the code's close code. */
export function closeFor(socket: WebSocket, code: ErrorCode): void {
  const e = new ChatError(code);
  if (socket.readyState !== socket.OPEN) return;
  socket.send(JSON.stringify(errorFrame(e)));
  // Queued behind what is unsent, so a client that catches up still reads why. One that
  // never does is cut by ws after its close timeout (30 s): the buffer stays bounded till then.
  socket.close(e.spec.close, e.code);
}

/**
 * Sends unless the socket already holds more than `maxBytes` unsent: then the
 * client is not reading, and it is closed rather than buffered for without
 * bound. `ws` never blocks the sender, so other sockets see no delay either way.
 */
export function sendBounded(socket: WebSocket, data: string | EncodedFrame, maxBytes: number): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > maxBytes) return closeFor(socket, 'slow-consumer');
  if (typeof data === 'string') socket.send(data);
  else sendEncoded(socket, data);
}

/** Closes the socket if it has not joined a room when the deadline passes. */
export function joinDeadline(socket: WebSocket, joined: () => boolean, ms: number): void {
  const timer = setTimeout(() => {
    if (!joined()) closeFor(socket, 'join-timeout');
  }, ms);
  socket.once('close', () => clearTimeout(timer));
}

/** The `onRequest` hook of /ws: Origin allowlist and per-IP cap, answered before the upgrade. */
export function upgradeGuard(
  security: Readonly<Security>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const perIp = new Map<string, number>();
  return async (request, reply) => {
    const { wsOrigins, maxConnectionsPerIp } = security;
    if (wsOrigins !== true) {
      // Browsers always send Origin on a WebSocket upgrade; a missing one is a non-browser
      // client, which cross-site hijacking cannot come from.
      const origin = request.headers.origin;
      if (origin !== undefined && !wsOrigins.includes(origin)) return refuse(reply, 'origin-not-allowed');
    }
    // Only upgrades are counted: an upgraded TCP socket carries exactly one WebSocket, while a
    // keep-alive socket could carry many plain requests and would be counted once per request.
    if (request.headers.upgrade?.toLowerCase() !== 'websocket') return;
    const ip = request.ip;
    const open = perIp.get(ip) ?? 0;
    if (open >= maxConnectionsPerIp) return refuse(reply, 'too-many-connections');
    perIp.set(ip, open + 1);
    // The TCP socket outlives the upgrade and closes with the WebSocket (or with a failed upgrade).
    request.raw.socket.once('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left === 0) perIp.delete(ip);
      else perIp.set(ip, left);
    });
  };
}

function refuse(reply: FastifyReply, code: ErrorCode): FastifyReply {
  const e = new ChatError(code);
  return reply.code(e.spec.status).send({ statusCode: e.spec.status, code: e.code, message: e.message });
}
