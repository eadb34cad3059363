/**
 * Who is asking, and how much they may do: the verified identity behind a
 * room creation or a join, and the quota it creates rooms under. The
 * join and the room routes call these; the rules live here.
 */
import type { FastifyRequest } from 'fastify';
import type { Quota } from '../adapters/types.js';
import { ChatError } from '../protocol/errors.js';
import type { CreateRoomRequest } from '../protocol/frames.js';
import { Authenticator, bearerToken, type SignedInUser } from './auth.js';
import type { ResolvedOptions } from './options/resolve.js';
import { ProofOfWork } from './pow.js';
import { MessageLimiter } from './session/message-rate.js';
import { SlowMode } from './session/slow-mode.js';
import type { Security as SecurityConfig } from './options/schema.js';

export interface Security {
  readonly config: Readonly<SecurityConfig>;
  readonly auth: Authenticator;
  readonly messages: MessageLimiter;
  /** Rooms' slow mode: per member, on the shared rate store when there is one. */
  readonly slow: SlowMode;
  readonly pow: ProofOfWork;
}

export function createSecurity(options: ResolvedOptions): Security {
  const config = options.security;
  return {
    config,
    auth: new Authenticator(config.oidc, options.clock),
    messages: new MessageLimiter(
      config.connectionMessageRate,
      config.userMessageRate,
      options.rates,
      options.limits.storageTimeoutMs,
    ),
    slow: new SlowMode(options.rates, options.limits.storageTimeoutMs),
    pow: new ProofOfWork(config.proofOfWork),
  };
}

export interface Creation {
  /** The quota holder ("issuer sub" or "ip:" and the address); not the room's owner key. */
  readonly creator: string;
  readonly quota: Quota;
  readonly requireAuth: boolean;
  /** No verified identity: the creation may owe a proof of work. */
  readonly anonymous: boolean;
}

/**
 * The creator and quota of a `POST /rooms`: a signed-in user under its own
 * quota, or an anonymous creator under its IP address's, when allowed.
 */
export async function roomCreation(
  security: Security,
  request: FastifyRequest<{ Body: CreateRoomRequest | undefined }>,
): Promise<Creation> {
  const requireAuth = request.body?.requireAuth === true;
  const token = bearerToken(request.headers.authorization);
  if (token !== undefined) {
    if (!security.auth.enabled) throw new ChatError('token-issuer');
    const { subject } = await security.auth.verify(token);
    const quota = { creator: subject, maxRooms: security.config.roomsPerUser };
    return { creator: subject, quota, requireAuth, anonymous: false };
  }
  if (requireAuth || security.config.anonymousRoomsPerIp === 0) throw new ChatError('auth-required');
  // "ip:" cannot collide with an "issuer sub" creator: issuers are http(s) URLs.
  const creator = `ip:${request.ip}`;
  return {
    creator,
    quota: { creator, maxRooms: security.config.anonymousRoomsPerIp },
    requireAuth,
    anonymous: true,
  };
}

/**
 * The identity a join acts under: verified from its token when it carries
 * one, required when the room requires sign-in, none otherwise.
 */
export async function joinIdentity(
  security: Security,
  token: string | undefined,
  room: { readonly requireAuth?: boolean | undefined },
): Promise<SignedInUser | undefined> {
  if (token === undefined) {
    if (room.requireAuth) throw new ChatError('auth-required');
    return undefined;
  }
  if (!security.auth.enabled) throw new ChatError('token-issuer');
  return security.auth.verify(token);
}
