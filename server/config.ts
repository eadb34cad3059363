/**
 * The server's options: their defaults, and the one place they are checked.
 * A bad option is refused with a TypeError at register time, never silently
 * replaced by a default.
 */
import { randomBytes } from 'node:crypto';
import { LocalEventBus } from '../adapters/local-bus.js';
import type { EventBus, Storage } from '../adapters/types.js';
import { DEFAULT_CLOCK_SKEW_MS, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_TEXT_LENGTH } from '../protocol/limits.js';
import { resolveSecurity, type ResolvedSecurity, type SecurityOptions } from './security-config.js';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Limits {
  /** Longest message text, in Unicode code points. */
  maxTextLength: number;
  /** Messages kept per room; older ones are deleted. */
  historyCap: number;
  /** Messages in a `welcome` snapshot and the default `history` page. */
  historyPage: number;
  /** Largest inbound frame answered with an error; 4x this closes the socket (1009). */
  maxFrameBytes: number;
  /** A room is deleted after this long with nobody connected and no message. */
  idleTimeoutMs: number;
  /** A room is deleted this long after its creation, whatever happens. */
  maxLifetimeMs: number;
  /** A message whose client time is further than this from server time is refused. */
  clockSkewMs: number;
  /** WebSocket ping period; a socket that misses a pong is dropped at the next ping. */
  pingIntervalMs: number;
  /** How often expired rooms and dead instances' presence are swept. */
  sweepIntervalMs: number;
  /** Invalid frames tolerated per `badFrameWindowMs` before the socket is closed (4400). */
  maxBadFrames: number;
  badFrameWindowMs: number;
  /** How long an out-of-order message waits for the missing ones before they are read from storage. */
  gapTimeoutMs: number;
}

export interface TinyChatOptions extends Partial<Limits>, SecurityOptions {
  storage: Storage;
  /**
   * Carries room events between server instances. Default: a bus of this
   * server's own when the storage is not shared (memory, SQLite); required
   * when it is (Redis: createRedisEventBus with the storage's url and prefix).
   */
  bus?: EventBus;
  /** Time source; tests pass a fake one. */
  clock?: Clock;
  /** Unique per server process; part of every connection id. Random by default. */
  instanceId?: string;
  /** Origins allowed by CORS on the REST routes; `true` allows any. */
  corsOrigin?: boolean | string | string[];
  /** Serve the widget script at /tiny-chat.js and the demo page at / (needs `npm run build`). Default false. */
  demo?: boolean;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxTextLength: DEFAULT_MAX_TEXT_LENGTH,
  historyCap: 500,
  historyPage: 50,
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  idleTimeoutMs: 5 * 60_000,
  maxLifetimeMs: 12 * 3600_000,
  clockSkewMs: DEFAULT_CLOCK_SKEW_MS,
  pingIntervalMs: 30_000,
  sweepIntervalMs: 1000,
  maxBadFrames: 10,
  badFrameWindowMs: 10_000,
  gapTimeoutMs: 250,
};

export interface ResolvedOptions {
  storage: Storage;
  bus: EventBus;
  clock: Clock;
  instanceId: string;
  corsOrigin: boolean | string | string[];
  limits: Readonly<Limits>;
  security: ResolvedSecurity;
  demo: boolean;
}

export function resolveOptions(options: TinyChatOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('tiny-chat: options must be an object');
  const { storage, bus, clock, instanceId, corsOrigin, demo } = options;
  if (typeof storage !== 'object' || storage === null || typeof storage.appendMessage !== 'function') {
    throw new TypeError('tiny-chat: option "storage" must be a Storage adapter');
  }
  if (bus !== undefined && (typeof bus !== 'object' || bus === null || typeof bus.publish !== 'function')) {
    throw new TypeError('tiny-chat: option "bus" must be an EventBus');
  }
  if (bus === undefined && storage.shared === true) {
    throw new TypeError('tiny-chat: option "bus" is required with a storage shared between instances');
  }
  if (clock !== undefined && typeof clock?.now !== 'function') {
    throw new TypeError('tiny-chat: option "clock" must have a now() method');
  }
  if (demo !== undefined && typeof demo !== 'boolean') {
    throw new TypeError('tiny-chat: option "demo" must be a boolean');
  }
  if (instanceId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(instanceId)) {
    throw new TypeError('tiny-chat: option "instanceId" must be 1-64 characters of [A-Za-z0-9_-]');
  }
  const limits = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = options[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(`tiny-chat: option "${name}" must be a positive integer, got ${String(value)}`);
    }
    limits[name] = value;
  }
  if (limits.historyPage > limits.historyCap) {
    throw new TypeError('tiny-chat: option "historyPage" must not exceed "historyCap"');
  }
  return {
    storage,
    bus: bus ?? new LocalEventBus(),
    clock: clock ?? systemClock,
    instanceId: instanceId ?? randomBytes(6).toString('base64url'),
    corsOrigin: corsOrigin ?? true,
    limits,
    security: resolveSecurity(options),
    demo: demo ?? false,
  };
}
