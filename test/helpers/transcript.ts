/** Asks a real server for a room's transcript as a member would: a fresh signature by a key in the room. */
import { exportSigningBytes, type ExportRequest } from '../../protocol/transcript.js';
import { signBytes, type Identity } from './client.js';

export function exportRequest(roomId: string, identity: Identity, time: number): ExportRequest {
  const { alg, pub } = identity.key;
  return { key: identity.key, time, sig: signBytes(identity, exportSigningBytes(roomId, time, alg, pub)) };
}

export function fetchTranscript(url: string, roomId: string, body: unknown): Promise<Response> {
  return fetch(`${url}/rooms/${roomId}/transcript`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
