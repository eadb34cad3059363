/**
 * Options for authentication and the abuse limits, their defaults, and their
 * check. docs/security.md explains what each one protects.
 */
import { checkIssuers, type OidcIssuer } from './auth.js';

export interface Rate {
  /** Tokens added per second. */
  readonly perSecond: number;
  /** Bucket size: how many may be spent at once. */
  readonly burst: number;
}

export interface SecurityOptions {
  /** Trusted OpenID Connect issuers; none means nobody can sign in. */
  oidc?: readonly OidcIssuer[];
  /** Live rooms one signed-in user may hold. */
  roomsPerUser?: number;
  /** Live rooms anonymous creators may hold per IP address; 0 turns anonymous creation off. */
  anonymousRoomsPerIp?: number;
  /** Message rate of one socket. */
  connectionMessageRate?: Rate;
  /** Message rate of one user (signed-in subject, else public key) over all its sockets on this instance. */
  userMessageRate?: Rate;
  /** Open WebSockets per IP address. */
  maxConnectionsPerIp?: number;
  /** REST requests per IP address per `restRateWindowMs`. */
  restRateMax?: number;
  restRateWindowMs?: number;
  /** Page origins allowed to open /ws; `true` allows any (the Origin header is then not checked). */
  wsOrigins?: true | readonly string[];
  /** Bytes queued to one socket before the server gives up on it (4503). */
  maxBufferedBytes?: number;
  /** A socket that has not joined a room this long after connecting is closed (4408). */
  joinTimeoutMs?: number;
}

export interface ResolvedSecurity {
  readonly oidc: readonly OidcIssuer[];
  readonly roomsPerUser: number;
  readonly anonymousRoomsPerIp: number;
  readonly connectionMessageRate: Rate;
  readonly userMessageRate: Rate;
  readonly maxConnectionsPerIp: number;
  readonly restRateMax: number;
  readonly restRateWindowMs: number;
  readonly wsOrigins: true | readonly string[];
  readonly maxBufferedBytes: number;
  readonly joinTimeoutMs: number;
}

export const DEFAULT_SECURITY: ResolvedSecurity = {
  oidc: [],
  roomsPerUser: 3,
  anonymousRoomsPerIp: 20,
  connectionMessageRate: { perSecond: 5, burst: 10 },
  userMessageRate: { perSecond: 10, burst: 20 },
  maxConnectionsPerIp: 50,
  restRateMax: 300,
  restRateWindowMs: 60_000,
  wsOrigins: true,
  maxBufferedBytes: 1024 * 1024,
  joinTimeoutMs: 10_000,
};

const COUNTS = [
  'roomsPerUser',
  'maxConnectionsPerIp',
  'restRateMax',
  'restRateWindowMs',
  'maxBufferedBytes',
  'joinTimeoutMs',
] as const;

export function resolveSecurity(options: SecurityOptions): ResolvedSecurity {
  const out: { -readonly [K in keyof ResolvedSecurity]: ResolvedSecurity[K] } = { ...DEFAULT_SECURITY };
  for (const name of COUNTS) {
    const value = options[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(`tiny-chat: option "${name}" must be a positive integer, got ${String(value)}`);
    }
    out[name] = value;
  }
  const anon = options.anonymousRoomsPerIp;
  if (anon !== undefined) {
    if (!Number.isSafeInteger(anon) || anon < 0) {
      throw new TypeError(`tiny-chat: option "anonymousRoomsPerIp" must be a whole number, got ${String(anon)}`);
    }
    out.anonymousRoomsPerIp = anon;
  }
  for (const name of ['connectionMessageRate', 'userMessageRate'] as const) {
    const rate = options[name];
    if (rate === undefined) continue;
    if (
      typeof rate !== 'object' ||
      rate === null ||
      !(Number.isFinite(rate.perSecond) && rate.perSecond > 0) ||
      !(Number.isSafeInteger(rate.burst) && rate.burst > 0)
    ) {
      throw new TypeError(`tiny-chat: option "${name}" must be { perSecond > 0, burst: positive integer }`);
    }
    out[name] = { perSecond: rate.perSecond, burst: rate.burst };
  }
  if (options.oidc !== undefined) out.oidc = checkIssuers(options.oidc);
  const origins = options.wsOrigins;
  if (origins !== undefined && origins !== true) {
    if (!Array.isArray(origins) || origins.some((o) => typeof o !== 'string' || !/^https?:\/\/[^/\s]+$/.test(o))) {
      throw new TypeError('tiny-chat: option "wsOrigins" must be true or a list of origins like https://example.com');
    }
    out.wsOrigins = [...(origins as string[])];
  }
  return out;
}
