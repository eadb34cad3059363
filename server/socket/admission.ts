/**
 * Who may hold a socket: the Origin allowlist and the per-IP connection cap
 * (both refused at the upgrade, before any 101), and the join deadline.
 *
 * Must never: let an idle socket hold a slot without bound, or answer an
 * upgrade from a refused origin with anything but 403.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { ErrorCode } from '../../protocol/errors.js';
import { restErrorOf } from '../wire/build.js';
import { closeFor } from './client-socket.js';
import type { Security } from '../options/schema.js';

/**
 * Closes the socket if it has not joined a room when the deadline passes. The
 * caller clears the timer once the socket joins or closes, so that it does not
 * outlive its use by the rest of `joinTimeoutMs` (issue 15: per-socket memory).
 */
export function joinDeadline(socket: WebSocket, joined: () => boolean, ms: number, graceMs: number): NodeJS.Timeout {
  return setTimeout(() => {
    if (!joined()) closeFor(socket, 'join-timeout', graceMs);
  }, ms);
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
    // The TCP socket outlives the upgrade and closes with the WebSocket (or with a failed upgrade). One
    // listener shared by every socket, with the count and address on the socket, rather than a closure and a
    // once-wrapper per socket for its whole life (issue 15: memory per idle socket).
    const tcp = request.raw.socket as CountedSocket;
    tcp[COUNTED] = { perIp, ip };
    tcp.on('close', release);
  };
}

const COUNTED = Symbol('tiny-chat.counted');
type CountedSocket = Socket & { [COUNTED]?: { perIp: Map<string, number>; ip: string } };

/** A counted socket closed: its address has one connection fewer. Called with the socket as `this`. */
function release(this: CountedSocket): void {
  const counted = this[COUNTED];
  if (!counted) return;
  this[COUNTED] = undefined;
  const left = (counted.perIp.get(counted.ip) ?? 1) - 1;
  if (left === 0) counted.perIp.delete(counted.ip);
  else counted.perIp.set(counted.ip, left);
}

function refuse(reply: FastifyReply, code: ErrorCode): FastifyReply {
  const body = restErrorOf(code);
  return reply.code(body.statusCode).send(body);
}
