/**
 * REST: create a room, read its metadata. Room ids are 16 bytes from the
 * CSPRNG (128 bits), base64url: unguessable, URL-safe, fixed length.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ChatError } from '../../protocol/errors.js';
import {
  CreateRoomRequestSchema,
  ROOM_ID_PATTERN,
  type CreateRoomRequest,
  type CreateRoomResponse,
  type PublicKey,
} from '../../protocol/frames.js';
import { ownerSigningBytes, type OwnerClaim } from '../../protocol/moderation.js';
import type { Context } from '../context.js';
import { importKey, verifySignature } from '../verify/keys.js';
import { roomCreation } from '../access.js';
import { roomInfo } from '../wire/build.js';
import { bodyValidator } from './rest-body.js';

const ROOM_ID = new RegExp(ROOM_ID_PATTERN);

export function newRoomId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The key that owns a new room: the claim's proof must verify over
 * ownerSigningBytes(ts), with ts within the clock skew (a proof cannot be
 * kept and used for rooms created much later).
 */
function ownerOf(claim: OwnerClaim, now: number, clockSkewMs: number): PublicKey {
  if (Math.abs(claim.ts - now) > clockSkewMs) {
    throw new ChatError('no-owner-claim', undefined, { serverTime: now, clockSkewMs });
  }
  const key = importKey(claim.key);
  if (!key || !verifySignature(key, ownerSigningBytes(claim.ts), claim.proof)) throw new ChatError('no-owner-claim');
  return { alg: claim.key.alg, pub: claim.key.pub };
}

export async function roomRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  const { storage, clock, limits } = ctx.options;

  app.post<{ Body: CreateRoomRequest | undefined }>(
    '/rooms',
    { schema: { body: CreateRoomRequestSchema }, validatorCompiler: bodyValidator(CreateRoomRequestSchema) },
    async (request, reply) => {
      const { creator, quota, requireAuth, anonymous } = await roomCreation(ctx.security, request);
      const now = clock.now();
      const claim = request.body?.owner;
      const ownerKey = claim === undefined ? undefined : ownerOf(claim, now, limits.clockSkewMs);
      const { pow } = ctx.security;
      // With work asked of anonymous creators, the room's id is the one its challenge named.
      let worked: string | undefined;
      if (pow.on && anonymous) {
        const given = request.body?.pow;
        if (given === undefined) throw pow.required(newRoomId(), now);
        worked = pow.createdRoomId(given, now);
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        const created = await storage.createRoom(
          {
            id: worked ?? newRoomId(),
            createdAt: now,
            expiresAt: now + limits.maxLifetimeMs,
            idleTimeoutMs: limits.idleTimeoutMs,
            creator,
            ...(ownerKey ? { ownerKey } : {}),
            requireAuth,
          },
          quota,
        );
        if (created.status === 'quota-exceeded') {
          throw new ChatError('quota-exceeded', undefined, { maxRooms: quota.maxRooms });
        }
        if (created.status === 'exists' && worked !== undefined) {
          throw new ChatError('proof-of-work-invalid', 'This challenge was used already; ask for a new one.');
        }
        if (created.status === 'created') {
          const body: CreateRoomResponse = { ...roomInfo(created.room), maxLifetimeMs: limits.maxLifetimeMs };
          return reply.code(201).header('location', `/rooms/${created.room.id}`).send(body);
        }
      }
      // Three 128-bit collisions in a row means the random source is broken.
      throw new Error('could not allocate a room id');
    },
  );

  app.get<{ Params: { roomId: string } }>('/rooms/:roomId', async (request) => {
    const { roomId } = request.params;
    if (!ROOM_ID.test(roomId)) throw new ChatError('room-not-found');
    const found = await storage.getRoom(roomId, clock.now());
    if (found.status === 'missing') throw new ChatError('room-not-found');
    if (found.status === 'gone') throw new ChatError('room-expired', undefined, { reason: found.reason });
    return roomInfo(found.room);
  });
}
