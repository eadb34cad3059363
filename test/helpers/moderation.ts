/**
 * Moderation for the test client, written from docs/protocol.md: the owner
 * claim of `POST /rooms` and signed `moderate` frames.
 */
import type { ServerFrame } from '../../protocol/frames.js';
import {
  moderationSigningBytes,
  ownerSigningBytes,
  type ModerateFrame,
  type ModerationAction,
} from '../../protocol/moderation.js';
import { signBytes, type Identity, type TestClient } from './client.js';

/** The body field that makes `owner` the room's owner: its key and a proof over ownerSigningBytes(ts). */
export function ownerClaim(owner: Identity, ts = Date.now()): { key: Identity['key']; ts: number; proof: string } {
  return { key: owner.key, ts, proof: signBytes(owner, ownerSigningBytes(ts)) };
}

/** Creates a room owned by `owner`'s key. */
export async function createOwnedRoom(url: string, owner: Identity, ts?: number): Promise<string> {
  const res = await fetch(`${url}/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ owner: ownerClaim(owner, ts) }),
  });
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

let counter = 0;

export interface FrameOverrides {
  id?: string;
  ts?: number;
  roomId?: string;
  /** Sign for another room than the frame names (a replay into another room). */
  signRoomId?: string;
  /** Sign with another identity than the client's (a forgery). */
  signer?: Identity;
}

/** A signed `moderate` frame from `c` for its room. */
export function moderateFrame(c: TestClient, action: ModerationAction, over: FrameOverrides = {}): ModerateFrame {
  const id = over.id ?? `a${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  const ts = over.ts ?? Date.now();
  const roomId = over.roomId ?? c.roomId;
  const bytes = moderationSigningBytes({ roomId: over.signRoomId ?? roomId, id, ts, action });
  return { type: 'moderate', roomId, id, ts, action, sig: signBytes(over.signer ?? c.identity, bytes) };
}

/** Sends a frame and waits for its ack or error (`ref` = its id). */
export async function sendModerate(c: TestClient, frame: ModerateFrame, timeoutMs = 5000): Promise<ServerFrame> {
  const earlier = new Set(c.frames);
  c.sendJson(frame);
  return c.waitFor(
    (f) => !earlier.has(f) && ((f.type === 'ack' && f.id === frame.id) || (f.type === 'error' && f.ref === frame.id)),
    timeoutMs,
  );
}

/** Signs and sends an action; its ack or error. */
export function moderate(c: TestClient, action: ModerationAction, over: FrameOverrides = {}): Promise<ServerFrame> {
  return sendModerate(c, moderateFrame(c, action, over));
}

/** The answer's error code, or 'ack'. */
export const outcome = (f: ServerFrame): string => (f.type === 'error' ? f.code : f.type);
