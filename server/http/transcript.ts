/**
 * The verifiable-history routes (docs/protocol.md, "The server's key and
 * transcripts"): `GET /.well-known/tiny-chat.json`, which publishes the
 * server key, and `POST /rooms/{roomId}/transcript`, which gives a room's
 * member the room's transcript with the server's signed head.
 *
 * Must never: export to anyone who has not shown, by a fresh signature, a key
 * that holds a name in the room.
 */
import type { FastifyInstance } from 'fastify';
import { ChatError } from '../../protocol/errors.js';
import { PROTOCOL_VERSION, ROOM_ID_PATTERN } from '../../protocol/frames.js';
import {
  ExportRequestSchema,
  exportSigningBytes,
  TRANSCRIPT_FORMAT,
  WELL_KNOWN_PATH,
  type ExportRequest,
  type WellKnown,
} from '../../protocol/transcript.js';
import type { Context } from '../context.js';
import { buildTranscript } from '../transcript/export.js';
import type { ServerSigner } from '../transcript/server-key.js';
import { wireLimits } from '../wire/build.js';
import { bodyValidator } from './rest-body.js';

const ROOM_ID = new RegExp(ROOM_ID_PATTERN);
export const VERIFY_PATH = '/verify';

export async function transcriptRoutes(app: FastifyInstance, ctx: Context, signer: ServerSigner): Promise<void> {
  const { storage, clock, limits } = ctx.options;
  const wellKnown: WellKnown = {
    v: PROTOCOL_VERSION,
    key: signer.key,
    limits: wireLimits(limits),
    verify: VERIFY_PATH,
    transcript: TRANSCRIPT_FORMAT,
  };

  app.get(WELL_KNOWN_PATH, async () => wellKnown);

  app.post<{ Params: { roomId: string }; Body: ExportRequest | undefined }>(
    '/rooms/:roomId/transcript',
    { schema: { body: ExportRequestSchema }, validatorCompiler: bodyValidator(ExportRequestSchema) },
    async (request) => {
      const { roomId } = request.params;
      const body = request.body;
      if (!ROOM_ID.test(roomId)) throw new ChatError('room-not-found');
      if (!body) throw new ChatError('bad-request', 'The body must be an object.');
      const now = clock.now();
      const refuse = (why: string): never => {
        request.log.debug({ roomId, why }, 'transcript export refused');
        throw new ChatError('export-refused');
      };
      // As public as GET /rooms/{roomId}: a room's existence is no secret to be kept from a stranger.
      const found = await storage.getRoom(roomId, now);
      if (found.status === 'missing') throw new ChatError('room-not-found');
      if (found.status === 'gone') throw new ChatError('room-expired', undefined, { reason: found.reason });
      if (Math.abs(now - body.time) > limits.clockSkewMs) refuse('time outside the clock skew');
      const { alg, pub } = body.key;
      const signed = exportSigningBytes(roomId, body.time, alg, pub);
      if (!(await ctx.verifier.verify(alg, pub, signed, body.sig))) refuse('bad signature');
      // No candidates: a lookup that can only give back a name the key already holds, never pin one.
      const held = await storage.bindName(roomId, { key: body.key, candidates: [] }, now);
      // subject-mismatch: the key holds a name, bound to a signed-in identity; the signature proved the key.
      if (held.status !== 'bound' && held.status !== 'subject-mismatch') {
        if (held.status === 'gone') throw new ChatError('room-expired', undefined, { reason: held.reason });
        refuse('the key holds no name in the room');
      }
      const transcript = await buildTranscript(storage, signer, found.room, now);
      if ('status' in transcript) {
        if (transcript.status === 'gone') throw new ChatError('room-expired', undefined, { reason: transcript.reason });
        throw new ChatError('room-not-found');
      }
      return transcript;
    },
  );
}
