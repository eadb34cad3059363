/**
 * One memory room: its state, how it starts, how it reads back as a Room and
 * how it is trimmed to the cap. Shared by adapters/memory.ts (rooms, names,
 * presence, messages) and adapters/memory/moderation.ts (actions). Must never
 * await: the adapter's atomicity rests on synchronous steps.
 */
import type { Entry } from '../../protocol/frames.js';
import { DedupeIndex } from '../dedupe-index.js';
import { PresenceSet } from '../presence-set.js';
import { genesisLink } from '../rules.js';
import type { AppendOptions, NewRoom, Room } from '../types.js';
import { RoomModeration } from './moderation.js';

export interface RoomState {
  readonly meta: NewRoom;
  lastActiveAt: number;
  lastSeq: number;
  /** The chain link of entry lastSeq (the genesis link before the first): trimming never touches it. */
  lastChain: string;
  /** Messages, actions and tombstones, contiguous by seq. */
  entries: Entry[];
  /** skeleton -> key id */
  readonly skeletons: Map<string, string>;
  /** key id -> pinned name and subject */
  readonly pins: Map<string, { name: string; subject: string | undefined }>;
  readonly presence: PresenceSet;
  readonly dedupe: DedupeIndex;
  readonly moderation: RoomModeration;
  /** key id -> the subject it was bound with */
  subjectOf(keyId: string): string | undefined;
}

export function newRoomState(room: NewRoom): RoomState {
  const pins = new Map<string, { name: string; subject: string | undefined }>();
  return {
    meta: { ...room },
    lastActiveAt: room.createdAt,
    lastSeq: 0,
    lastChain: genesisLink(room.id, room.createdAt),
    entries: [],
    skeletons: new Map(),
    pins,
    presence: new PresenceSet(),
    dedupe: new DedupeIndex(),
    moderation: new RoomModeration(room.ownerKey),
    subjectOf: (id) => pins.get(id)?.subject,
  };
}

export function viewRoom(state: RoomState, now: number): Room {
  const { id, createdAt, expiresAt, idleTimeoutMs, creator, ownerKey, requireAuth } = state.meta;
  return {
    id,
    createdAt,
    expiresAt,
    idleTimeoutMs,
    // As the other backends read them back: no creator is no field, and requireAuth is always a boolean.
    ...(creator !== undefined ? { creator } : {}),
    ...(ownerKey !== undefined ? { ownerKey: { alg: ownerKey.alg, pub: ownerKey.pub } } : {}),
    requireAuth: requireAuth === true,
    staff: state.moderation.staff,
    lastActiveAt: state.lastActiveAt,
    firstSeq: state.entries[0]?.seq ?? state.lastSeq + 1,
    lastSeq: state.lastSeq,
    connections: state.presence.connections(now),
    memberCount: state.presence.memberCount(now),
  };
}

/** Trims a room to the cap after an append; dedupe entries outlive their entries for the window. */
export function trimRoom(state: RoomState, opts: AppendOptions): void {
  if (state.entries.length <= opts.cap) return;
  state.entries.splice(0, state.entries.length - opts.cap);
  state.dedupe.prune(state.entries[0]!.seq, opts.now - opts.dedupeWindowMs);
}
