/**
 * The operator routes, which exist only when the `adminToken` option is set
 * (docs/deployment.md, operators): `GET /rooms` lists live rooms with their
 * member counts, a page at a time, and `DELETE /rooms/:id` ends a room now,
 * as its deadline would: every instance's members get `closing` (reason
 * `ended`) through the same 'closed' event the expiry sweep publishes.
 *
 * Must never: answer anything but 404 when no admin token is set, log the
 * token, or compare it in time that depends on how much of it matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChatError } from '../../protocol/errors.js';
import { ROOM_ID_PATTERN, type RoomListResponse } from '../../protocol/frames.js';
import { MAX_ROOM_LIST_PAGE, ROOM_LIST_PAGE } from '../../protocol/limits.js';
import { bearerToken } from '../auth.js';
import type { Context } from '../context.js';
import { publishClosed } from '../fanout/events.js';
import { notLive } from '../session/join.js';
import { roomInfo } from '../wire/build.js';

const ROOM_ID = new RegExp(ROOM_ID_PATTERN);

/** Digests of equal length, so the comparison takes the same time whatever was sent. */
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The `onRequest` hook that refuses a request without the admin token. */
export function adminOnly(adminToken: string): (request: FastifyRequest) => Promise<void> {
  const expected = digest(adminToken);
  return async (request) => {
    let given: string | undefined;
    try {
      given = bearerToken(request.headers.authorization);
    } catch {
      // A malformed Authorization header is just a wrong token here.
    }
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return;
    // Debug: a wrong token is a client's mistake (or a probe), not the server's.
    request.log.debug({ url: request.url, hadToken: given !== undefined }, 'operator route refused');
    throw new ChatError('admin-token-invalid');
  };
}

function pageSize(raw: string | undefined): number {
  if (raw === undefined) return ROOM_LIST_PAGE;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_ROOM_LIST_PAGE)) {
    throw new ChatError('bad-request', `"limit" must be an integer from 1 to ${MAX_ROOM_LIST_PAGE}.`);
  }
  return n;
}

export function operatorRoutes(app: FastifyInstance, ctx: Context): void {
  const { adminToken } = ctx.security.config;
  if (adminToken === undefined) return;
  const { storage, bus, clock } = ctx.options;
  const onRequest = adminOnly(adminToken);

  app.get<{ Querystring: { limit?: string; after?: string } }>(
    '/rooms',
    { onRequest },
    async (request): Promise<RoomListResponse> => {
      const { limit, after } = request.query;
      if (after !== undefined && !ROOM_ID.test(after)) {
        throw new ChatError('bad-request', '"after" must be a room id.');
      }
      const page = await storage.listRooms({ limit: pageSize(limit), ...(after ? { after } : {}) }, clock.now());
      return {
        rooms: page.rooms.map((room) => ({
          ...roomInfo(room),
          connections: room.connections,
          ...(room.creator !== undefined ? { creator: room.creator } : {}),
        })),
        ...(page.next !== undefined ? { next: page.next } : {}),
      };
    },
  );

  app.delete<{ Params: { roomId: string } }>('/rooms/:roomId', { onRequest }, async (request, reply: FastifyReply) => {
    const { roomId } = request.params;
    if (!ROOM_ID.test(roomId)) throw new ChatError('room-not-found');
    const ended = await storage.endRoom(roomId, clock.now());
    if (ended.status !== 'ended') throw notLive(ended);
    request.log.info({ roomId }, 'room ended by an operator');
    await publishClosed(bus, roomId, 'ended');
    return reply.code(204).send();
  });
}
