/**
 * Errors raised on an established WebSocket, sorted into the client's faults
 * and the server's. A client that sends a frame ws refuses (RSV1 set by a
 * compressing client, invalid UTF-8, a payload over the hard limit, an
 * unmasked frame...) or drops its TCP connection is not a server problem:
 * it is logged at debug, without a stack, and counted. ws has already sent
 * the close code that names the fault (1002, 1007, 1009); the socket closes
 * through the usual path.
 *
 * Must never: let a client choose how much is written at error level.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Metrics } from '../metrics.js';
import { cutAfter } from './client-socket.js';

/** Socket errors that a peer causes by dropping or resetting the connection. */
const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

/** The fault kind when the error is the client's (a ws receiver code or a reset), else undefined. */
export function clientFault(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('WS_ERR_')) return code.slice('WS_ERR_'.length).toLowerCase();
  if (PEER_GONE.has(code)) return 'connection-reset';
  return undefined;
}

/**
 * The `errorHandler` of @fastify/websocket: client faults at debug, anything
 * else at error. ws has sent its close frame; a client that does not answer
 * it is cut after the close grace.
 */
export function socketErrorHandler(
  metrics: Metrics | undefined,
  closeGraceMs: number,
): (err: Error, socket: WebSocket, request: { log: FastifyBaseLogger }) => void {
  return (err, socket, request) => {
    const kind = clientFault(err);
    if (kind !== undefined) {
      metrics?.clientFaults.inc({ kind });
      request.log.debug({ fault: kind, reason: err.message }, 'client fault on socket');
      cutAfter(socket, closeGraceMs);
      return;
    }
    request.log.error({ err }, 'socket failed');
    socket.terminate();
  };
}
