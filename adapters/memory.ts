/**
 * In-memory storage: one process, nothing survives a restart. For tests,
 * demos and single-instance deployments that accept losing history.
 *
 * Every method does its work synchronously before its promise settles, which
 * is what makes each call atomic under Node's single thread. Never await in
 * the middle of a method here.
 */
import { isMessage, type ChatMessage, type Entry } from '../protocol/frames.js';
import type {
  ActionResult,
  AppendOptions,
  AppendResult,
  BindRequest,
  BindResult,
  CreateRoomResult,
  EndRoomResult,
  ExpiredRoom,
  MessagePage,
  NewAction,
  NewMessage,
  NewRoom,
  NotLive,
  PresenceEntry,
  PresenceRemoval,
  PresenceResult,
  Quota,
  ReadQuery,
  Room,
  RoomGoneReason,
  RoomList,
  RoomListQuery,
  RoomLookup,
  ServerKeyRecord,
  Storage,
} from './types.js';
import {
  contentDigest,
  decideBind,
  decideDuplicate,
  keyId,
  membersByName,
  notLive,
  roomDeadline,
  toStored,
} from './rules.js';
import { appendActionTo } from './memory/moderation.js';
import { newRoomState, trimRoom, viewRoom, type RoomState } from './memory/room.js';

export interface MemoryStorageOptions {
  /** How long a deleted room's id is remembered as 'gone' rather than 'missing'. Default 24 h. */
  tombstoneMs?: number;
}

export class MemoryStorage implements Storage {
  /** One process's memory: its events need only the local bus. */
  readonly shared = false;
  readonly #rooms = new Map<string, RoomState>();
  readonly #tombstones = new Map<string, { reason: RoomGoneReason; at: number }>();
  readonly #tombstoneMs: number;
  #closed = false;
  #serverKey: ServerKeyRecord | undefined;

  constructor(options: MemoryStorageOptions = {}) {
    this.#tombstoneMs = options.tombstoneMs ?? 24 * 3600_000;
  }

  async createRoom(room: NewRoom, quota?: Quota): Promise<CreateRoomResult> {
    this.#check();
    if (this.#rooms.has(room.id) || this.#tombstones.has(room.id)) return { status: 'exists' };
    if (quota) {
      let live = 0;
      for (const r of this.#rooms.values()) {
        if (r.meta.creator === quota.creator && this.#deadline(r, room.createdAt) === undefined) live++;
      }
      if (live >= quota.maxRooms) return { status: 'quota-exceeded', live };
    }
    const state = newRoomState(room);
    this.#rooms.set(room.id, state);
    return { status: 'created', room: this.#view(state, room.createdAt) };
  }

  async getRoom(roomId: string, now: number): Promise<RoomLookup> {
    this.#check();
    const found = this.#live(roomId, now);
    return 'state' in found ? { status: 'live', room: this.#view(found.state, now) } : found;
  }

  async bindName(roomId: string, req: BindRequest, now: number): Promise<BindResult> {
    this.#check();
    const found = this.#live(roomId, now);
    if (!('state' in found)) return found;
    const state = found.state;
    const id = keyId(req.key);
    const refused = state.moderation.refuse(req.key, req.subject, state.pins.has(id), now);
    if (refused) return refused;
    const decision = decideBind(req, state.pins.get(id), (skeleton) => state.skeletons.has(skeleton));
    if (decision.status !== 'pin') return decision;
    state.skeletons.set(decision.skeleton, id);
    state.pins.set(id, { name: decision.name, subject: req.subject });
    return { status: 'bound', name: decision.name, existing: false };
  }

  async addPresence(roomId: string, entry: PresenceEntry, now: number, ttlMs: number): Promise<PresenceResult> {
    this.#check();
    const found = this.#live(roomId, now);
    if (!('state' in found)) return found;
    const state = found.state;
    const existing = state.presence.get(entry.connId);
    const first = !existing && !state.presence.hasLiveName(entry.name, now);
    state.presence.set(entry.connId, { name: entry.name, key: entry.key, expiresAt: now + ttlMs });
    state.lastActiveAt = Math.max(state.lastActiveAt, now);
    return { status: 'ok', first, memberCount: state.presence.memberCount(now) };
  }

  async refreshPresence(roomId: string, connIds: readonly string[], now: number, ttlMs: number): Promise<string[]> {
    this.#check();
    const found = this.#live(roomId, now);
    if (!('state' in found)) return [...connIds];
    const missed: string[] = [];
    for (const id of connIds) {
      const p = found.state.presence.get(id);
      if (p && p.expiresAt > now) found.state.presence.set(id, { ...p, expiresAt: now + ttlMs });
      else missed.push(id);
    }
    return missed;
  }

  async removePresence(roomId: string, connId: string, now: number): Promise<PresenceRemoval | undefined> {
    this.#check();
    const state = this.#rooms.get(roomId);
    const p = state?.presence.get(connId);
    if (!state || !p) return undefined;
    state.presence.delete(connId);
    // The idle clock starts when the last member leaves, not at their last message.
    state.lastActiveAt = Math.max(state.lastActiveAt, now);
    return {
      roomId,
      name: p.name,
      key: p.key,
      last: !state.presence.hasLiveName(p.name, now),
      memberCount: state.presence.memberCount(now),
    };
  }

  async sweepPresence(now: number): Promise<PresenceRemoval[]> {
    this.#check();
    const out: PresenceRemoval[] = [];
    for (const [roomId, state] of this.#rooms) {
      for (const [connId, p] of state.presence.entries()) {
        if (p.expiresAt > now) continue;
        state.presence.delete(connId);
        // A dead instance's connection was last known alive at its expiry.
        state.lastActiveAt = Math.max(state.lastActiveAt, p.expiresAt);
        out.push({
          roomId,
          name: p.name,
          key: p.key,
          last: !state.presence.hasLiveName(p.name, now),
          memberCount: state.presence.memberCount(now),
        });
      }
    }
    return out;
  }

  async listMembers(roomId: string, now: number): Promise<{ name: string; key: ChatMessage['key'] }[]> {
    this.#check();
    const state = this.#rooms.get(roomId);
    if (!state) return [];
    return membersByName(state.presence.live(now));
  }

  async appendMessage(roomId: string, m: NewMessage, opts: AppendOptions): Promise<AppendResult> {
    this.#check();
    const found = this.#live(roomId, opts.now);
    if (!('state' in found)) return found;
    const state = found.state;
    const seen = state.dedupe.get(m.name, m.id);
    if (seen) {
      return decideDuplicate(seen, m, (seq) =>
        state.entries.find((x): x is ChatMessage => x.seq === seq && isMessage(x)),
      );
    }
    const message = toStored(m, state.lastSeq + 1, state.lastChain);
    state.lastSeq = message.seq;
    state.lastChain = message.chain;
    state.entries.push(message);
    state.dedupe.add(m.name, m.id, { seq: message.seq, digest: contentDigest(m.ts, m.text), storedAt: opts.now });
    state.lastActiveAt = Math.max(state.lastActiveAt, opts.now);
    trimRoom(state, opts);
    return { status: 'stored', message };
  }

  async appendAction(roomId: string, a: NewAction, opts: AppendOptions): Promise<ActionResult> {
    this.#check();
    const found = this.#live(roomId, opts.now);
    if (!('state' in found)) return found;
    const result = appendActionTo(found.state, a, opts);
    if (result.status === 'stored') trimRoom(found.state, opts);
    return result;
  }

  async readMessages(roomId: string, q: ReadQuery, now: number): Promise<MessagePage | NotLive> {
    this.#check();
    const found = this.#live(roomId, now);
    if (!('state' in found)) return found;
    const { entries: messages, lastSeq } = found.state;
    let slice: Entry[];
    if (q.after !== undefined) {
      const after = q.after;
      slice = messages.filter((m) => m.seq > after).slice(0, q.limit);
    } else {
      const before = q.before ?? Number.POSITIVE_INFINITY;
      const older = messages.filter((m) => m.seq < before);
      slice = older.slice(Math.max(0, older.length - q.limit));
    }
    return { messages: slice, firstSeq: messages[0]?.seq ?? lastSeq + 1, lastSeq };
  }

  async expireRooms(now: number): Promise<ExpiredRoom[]> {
    this.#check();
    const out: ExpiredRoom[] = [];
    for (const [roomId, state] of this.#rooms) {
      const reason = this.#deadline(state, now);
      if (!reason) continue;
      this.#rooms.delete(roomId);
      this.#tombstones.set(roomId, { reason, at: now });
      out.push({ roomId, reason });
    }
    for (const [roomId, t] of this.#tombstones) {
      if (t.at + this.#tombstoneMs <= now) this.#tombstones.delete(roomId);
    }
    return out;
  }

  async endRoom(roomId: string, now: number): Promise<EndRoomResult> {
    this.#check();
    const found = this.#live(roomId, now);
    if (!('state' in found)) return found;
    this.#rooms.delete(roomId);
    this.#tombstones.set(roomId, { reason: 'ended', at: now });
    return { status: 'ended' };
  }

  async listRooms(q: RoomListQuery, now: number): Promise<RoomList> {
    this.#check();
    const ids = [...this.#rooms.keys()].filter((id) => q.after === undefined || id > q.after).sort();
    const rooms: Room[] = [];
    for (const id of ids) {
      const state = this.#rooms.get(id)!;
      if (this.#deadline(state, now) !== undefined) continue;
      if (rooms.length === q.limit) return { rooms, next: rooms[rooms.length - 1]!.id };
      rooms.push(this.#view(state, now));
    }
    return { rooms };
  }

  async serverKey(candidate: ServerKeyRecord): Promise<ServerKeyRecord> {
    this.#check();
    // Ephemeral, like everything in this adapter: a restart makes a new one.
    return (this.#serverKey ??= candidate);
  }

  async ping(): Promise<void> {
    this.#check();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #check(): void {
    if (this.#closed) throw new Error('storage is closed');
  }

  #live(roomId: string, now: number): { state: RoomState } | NotLive {
    const state = this.#rooms.get(roomId);
    const status = notLive(state && { deadline: this.#deadline(state, now) }, this.#tombstones.get(roomId)?.reason);
    return status ?? { state: state! };
  }

  #deadline(state: RoomState, now: number): RoomGoneReason | undefined {
    const clocks = { ...state.meta, lastActiveAt: state.lastActiveAt };
    return roomDeadline(clocks, now, () => state.presence.connections(now) > 0);
  }

  #view(state: RoomState, now: number): Room {
    return viewRoom(state, now);
  }
}

export async function createMemoryStorage(options: MemoryStorageOptions = {}): Promise<Storage> {
  return new MemoryStorage(options);
}
