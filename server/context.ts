/**
 * What every part of one server instance shares: resolved options, the hub,
 * the live sockets, the signature verifier, and the figures derived from the
 * options. Built once by the plugin and handed down; nothing here is a
 * process-wide singleton.
 */
import type { ResolvedOptions } from './options/resolve.js';
import type { Hub } from './fanout/hub.js';
import { createSecurity, type Security } from './access.js';
import type { Metrics } from './metrics.js';
import type { ClientSocket, SocketSetup } from './socket/client-socket.js';
import { socketErrorHandler } from './socket/faults.js';
import type { StorageGuard } from './storage-guard.js';
import type { Verifier } from './verify/verifier.js';

export type { Verifier };

export interface Context {
  readonly options: ResolvedOptions;
  readonly hub: Hub;
  readonly connections: Set<ClientSocket>;
  readonly security: Security;
  /** What every client socket shares: its limits, the metrics and the error handler. */
  readonly sockets: SocketSetup;
  readonly verifier: Verifier;
  /** Whether storage answers; `options.storage` is its guarded storage. */
  readonly guard: StorageGuard;
  /** Undefined unless the `metrics` option is on. */
  readonly metrics: Metrics | undefined;
  /** A presence entry lives this long without a heartbeat (the instance died). */
  readonly presenceTtlMs: number;
  /** How long a stored (name, id) still counts as taken after the cap trimmed it. */
  readonly dedupeWindowMs: number;
  nextConnId(): number;
}

export function createContext(
  options: ResolvedOptions,
  hub: Hub,
  verifier: Verifier,
  guard: StorageGuard,
  metrics: Metrics | undefined,
): Context {
  let counter = 0;
  const { pingIntervalMs, clockSkewMs, maxBadFrames, badFrameWindowMs } = options.limits;
  const security = createSecurity(options);
  const { maxBufferedBytes, closeGraceMs } = security.config;
  return {
    options,
    hub,
    connections: new Set(),
    security,
    sockets: {
      limits: { maxBufferedBytes, maxBadFrames, badFrameWindowMs, closeGraceMs },
      metrics,
      onError: socketErrorHandler(metrics, closeGraceMs),
    },
    verifier,
    guard,
    metrics,
    // Heartbeats go out every ping interval; three missed ones mean the instance is gone.
    presenceTtlMs: 3 * pingIntervalMs,
    // A message is accepted while its ts is within the skew of server time, so a
    // replay of it is possible for up to twice the skew after it was stored.
    dedupeWindowMs: 2 * clockSkewMs + 60_000,
    nextConnId: () => ++counter,
  };
}
