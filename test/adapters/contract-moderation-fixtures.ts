/** The actors and actions the moderation cases of the storage contract are written with. */
import * as assert from 'uvu/assert';
import type { NewAction, NewRoom, Storage } from '../../adapters/types.js';
import type { PublicKey } from '../../protocol/frames.js';
import type { ModerationAction, RoomStaff } from '../../protocol/moderation.js';
import { appendOpts, key, newRoom, T0 } from './contract-fixtures.js';

export const OWNER = key(90);
export const MOD = key(80);
export const MOD2 = key(81);
export const AMY = key(1);
export const BOB = key(2);

/** An action by `actor` (named `name` in the room), signed at `at`. */
export function act(
  name: string,
  actor: PublicKey,
  id: string,
  action: NewAction['action'] & ModerationAction,
  at = T0,
): NewAction {
  return { id, name, key: actor, ts: at, action, sig: 'c2lnbg', at };
}

/** A room owned by OWNER with MOD promoted (seq 1); returns the room. */
export async function staffedRoom(s: Storage, over: Partial<NewRoom> = {}): Promise<NewRoom> {
  const room = newRoom({ ownerKey: OWNER, ...over });
  assert.is((await s.createRoom(room)).status, 'created');
  const r = await s.appendAction(room.id, act('olga', OWNER, 'p1', { act: 'promote', target: MOD }), appendOpts());
  assert.is(r.status, 'stored');
  return room;
}

export async function staffOf(s: Storage, roomId: string, now = T0): Promise<RoomStaff> {
  const found = await s.getRoom(roomId, now);
  if (found.status !== 'live') throw new Error(`room ${found.status}`);
  return found.room.staff;
}

export const bindAs = (s: Storage, roomId: string, k: PublicKey, name: string, now = T0, subject?: string) =>
  s.bindName(roomId, { key: k, candidates: [{ name, skeleton: name }], ...(subject ? { subject } : {}) }, now);
