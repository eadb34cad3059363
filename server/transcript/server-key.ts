/**
 * The server's own Ed25519 key (docs/protocol.md, "The server key"): made
 * here on first start and handed to storage, which keeps the first one it is
 * offered (adapters/types.ts `serverKey`), so every instance on one storage,
 * and every restart on the same data, signs with one key.
 *
 * Must never: send or log the secret half.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { ServerKeyRecord, Storage } from '../../adapters/types.js';
import { headSigningBytes, type ServerKey, type SignedHead } from '../../protocol/transcript.js';

export interface ServerSigner {
  readonly key: ServerKey;
  /** The room's head (its last seq and that message's link) at `time`, signed. */
  signHead(roomId: string, seq: number, chain: string, time: number): SignedHead;
}

/** A fresh key pair, for storage to keep unless it already keeps one. */
export function newServerKeyRecord(): ServerKeyRecord {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The raw public key is the last 32 bytes of its SPKI DER.
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64url');
  const secret = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
  return { alg: 'Ed25519', pub, secret };
}

export function signerOf(record: ServerKeyRecord): ServerSigner {
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.from(record.secret, 'base64url'),
    format: 'der',
    type: 'pkcs8',
  });
  // The public half is derived again rather than trusted from the record: a mismatch is a broken store.
  const pub = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64url');
  if (pub !== record.pub) throw new Error('tiny-chat: the stored server key does not match its public key');
  const key: ServerKey = { alg: 'Ed25519', pub };
  return {
    key,
    signHead(roomId, seq, chain, time) {
      const sig = sign(null, headSigningBytes({ roomId, seq, chain, time }), privateKey).toString('base64url');
      return { roomId, seq, chain, time, key, sig };
    },
  };
}

/** The key kept with `storage`, made and stored first if it has none. */
export async function loadServerSigner(storage: Storage): Promise<ServerSigner> {
  return signerOf(await storage.serverKey(newServerKeyRecord()));
}
