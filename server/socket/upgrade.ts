/**
 * Lets go of the upgrade's HTTP objects once the WebSocket is open. Bare `ws`
 * drops its request after the upgrade; behind @fastify/websocket two paths
 * keep the upgrade's Fastify request and reply (and Node's IncomingMessage and
 * ServerResponse under them, about 1.1 KB with their stream states) alive for
 * the socket's whole life, and breaking one alone frees nothing (issue 15):
 *
 * - the plugin's per-socket `error` listener, a closure over `request` and
 *   `reply`, removed here in favour of the one every ClientSocket shares;
 * - the TCP socket's `_httpMessage`, the ServerResponse the plugin assigned
 *   to it for routing, which `detachSocket` clears (with its `close` listener).
 *
 * This keeps @fastify/websocket (its routing through Fastify's hooks, the
 * per-IP guard and the origin check stay as they are) rather than handling the
 * upgrade with a `noServer` ws of our own: both paths can be broken from the
 * route handler, which the plugin calls synchronously after the upgrade.
 *
 * Must never: leave an open socket without an `error` listener (an unhandled
 * `error` event would end the process).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Removes every `error` listener but `keep` (already added), and detaches the upgrade's response. */
export function releaseUpgrade(ws: WebSocket, raw: IncomingMessage, keep: (err: Error) => void): void {
  for (const listener of ws.listeners('error')) if (listener !== keep) ws.off('error', listener as never);
  const tcp = raw.socket as Socket & { _httpMessage?: ServerResponse | null };
  tcp._httpMessage?.detachSocket(tcp);
}
