/**
 * The identifiers every other schema builds on: room and message ids and
 * public keys. A file of their own so that frames.ts and moderation.ts can
 * both use them without importing each other.
 */
import { Type, type Static } from '@sinclair/typebox';

/** 22 base64url characters: 16 random bytes, 128 bits. */
export const ROOM_ID_PATTERN = '^[A-Za-z0-9_-]{22}$';
export const MESSAGE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
export const B64URL_PATTERN = '^[A-Za-z0-9_-]+$';

const opts = { additionalProperties: false } as const;

export const RoomIdSchema = Type.String({ pattern: ROOM_ID_PATTERN });

export const AlgSchema = Type.Union([Type.Literal('Ed25519'), Type.Literal('ES256')]);
export type Alg = Static<typeof AlgSchema>;

export const PublicKeySchema = Type.Object(
  {
    alg: AlgSchema,
    /** Ed25519: the 32 raw bytes; ES256: the 65-byte uncompressed point. */
    pub: Type.String({ pattern: B64URL_PATTERN, maxLength: 100 }),
  },
  opts,
);
export type PublicKey = Static<typeof PublicKeySchema>;
