/**
 * What every part of one server instance shares: resolved options, the hub,
 * the live connections, and the figures derived from the options.
 */
import type { ResolvedOptions } from './options/resolve.js';
import type { Connection } from './connection.js';
import type { Hub } from './hub.js';
import { createSecurity, type Security } from './security.js';

export interface Context {
  readonly options: ResolvedOptions;
  readonly hub: Hub;
  readonly connections: Set<Connection>;
  readonly security: Security;
  /** A presence entry lives this long without a heartbeat (the instance died). */
  readonly presenceTtlMs: number;
  /** How long a stored (name, id) still counts as taken after the cap trimmed it. */
  readonly dedupeWindowMs: number;
  nextConnId(): number;
}

export function createContext(options: ResolvedOptions, hub: Hub): Context {
  let counter = 0;
  const { pingIntervalMs, clockSkewMs } = options.limits;
  return {
    options,
    hub,
    connections: new Set(),
    security: createSecurity(options),
    // Heartbeats go out every ping interval; three missed ones mean the instance is gone.
    presenceTtlMs: 3 * pingIntervalMs,
    // A message is accepted while its ts is within the skew of server time, so a
    // replay of it is possible for up to twice the skew after it was stored.
    dedupeWindowMs: 2 * clockSkewMs + 60_000,
    nextConnId: () => ++counter,
  };
}
