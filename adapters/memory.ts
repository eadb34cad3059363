/**
 * In-memory storage: one process, nothing survives a restart. For tests,
 * demos and single-instance deployments that accept losing history.
 *
 * Every method does its work synchronously before its promise settles, which
 * is what makes each call atomic under Node's single thread. Never await in
 * the middle of a method here.
 */
import type { ChatMessage } from '../protocol/frames.js';
import type {
  AppendOptions,
  AppendResult,
  BindRequest,
  BindResult,
  CreateRoomResult,
  ExpiredRoom,
  MessagePage,
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
  RoomLookup,
  ServerKeyRecord,
  Storage,
} from './types.js';
import {
  contentDigest,
  decideBind,
  decideDuplicate,
  genesisLink,
  keyId,
  membersByName,
  notLive,
  roomDeadline,
  toStored,
} from './rules.js';
import { DedupeIndex } from './dedupe-index.js';

export interface MemoryStorageOptions {
  /** How long a deleted room's id is remembered as 'gone' rather than 'missing'. Default 24 h. */
  tombstoneMs?: number;
}

interface Presence {
  name: string;
  key: ChatMessage['key'];
  expiresAt: number;
}

interface RoomState {
  meta: NewRoom;
  lastActiveAt: number;
  lastSeq: number;
  /** The chain link of message lastSeq (the genesis link before the first): trimming never touches it. */
  lastChain: string;
  messages: ChatMessage[];
  /** skeleton -> key id */
  skeletons: Map<string, string>;
  /** key id -> pinned name and subject */
  pins: Map<string, { name: string; subject: string | undefined }>;
  presence: Map<string, Presence>;
  dedupe: DedupeIndex;
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
        if (r.meta.owner === quota.owner && this.#deadline(r, room.createdAt) === undefined) live++;
      }
      if (live >= quota.maxRooms) return { status: 'quota-exceeded', live };
    }
    const state: RoomState = {
      meta: { ...room },
      lastActiveAt: room.createdAt,
      lastSeq: 0,
      lastChain: genesisLink(room.id, room.createdAt),
      messages: [],
      skeletons: new Map(),
      pins: new Map(),
      presence: new Map(),
      dedupe: new DedupeIndex(),
    };
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
    const first = !existing && !this.#hasLiveName(state, entry.name, now);
    state.presence.set(entry.connId, { name: entry.name, key: entry.key, expiresAt: now + ttlMs });
    state.lastActiveAt = Math.max(state.lastActiveAt, now);
    return { status: 'ok', first, memberCount: this.#memberCount(state, now) };
  }

  async refreshPresence(roomId: string, connIds: readonly string[], now: number, ttlMs: number): Promise<string[]> {
    this.#check();
    const found = this.#live(roomId, now);
    if (!('state' in found)) return [...connIds];
    const missed: string[] = [];
    for (const id of connIds) {
      const p = found.state.presence.get(id);
      if (p && p.expiresAt > now) p.expiresAt = now + ttlMs;
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
      last: !this.#hasLiveName(state, p.name, now),
      memberCount: this.#memberCount(state, now),
    };
  }

  async sweepPresence(now: number): Promise<PresenceRemoval[]> {
    this.#check();
    const out: PresenceRemoval[] = [];
    for (const [roomId, state] of this.#rooms) {
      for (const [connId, p] of state.presence) {
        if (p.expiresAt > now) continue;
        state.presence.delete(connId);
        // A dead instance's connection was last known alive at its expiry.
        state.lastActiveAt = Math.max(state.lastActiveAt, p.expiresAt);
        out.push({
          roomId,
          name: p.name,
          key: p.key,
          last: !this.#hasLiveName(state, p.name, now),
          memberCount: this.#memberCount(state, now),
        });
      }
    }
    return out;
  }

  async listMembers(roomId: string, now: number): Promise<{ name: string; key: ChatMessage['key'] }[]> {
    this.#check();
    const state = this.#rooms.get(roomId);
    if (!state) return [];
    return membersByName([...state.presence.values()].filter((p) => p.expiresAt > now));
  }

  async appendMessage(roomId: string, m: NewMessage, opts: AppendOptions): Promise<AppendResult> {
    this.#check();
    const found = this.#live(roomId, opts.now);
    if (!('state' in found)) return found;
    const state = found.state;
    const seen = state.dedupe.get(m.name, m.id);
    if (seen) return decideDuplicate(seen, m, (seq) => state.messages.find((x) => x.seq === seq));
    const message = toStored(m, state.lastSeq + 1, state.lastChain);
    state.lastSeq = message.seq;
    state.lastChain = message.chain;
    state.messages.push(message);
    state.dedupe.add(m.name, m.id, { seq: message.seq, digest: contentDigest(m.ts, m.text), storedAt: opts.now });
    state.lastActiveAt = Math.max(state.lastActiveAt, opts.now);
    if (state.messages.length > opts.cap) {
      state.messages.splice(0, state.messages.length - opts.cap);
      state.dedupe.prune(state.messages[0]!.seq, opts.now - opts.dedupeWindowMs);
    }
    return { status: 'stored', message };
  }

  async readMessages(roomId: string, q: ReadQuery, now: number): Promise<MessagePage | NotLive> {
    this.#check();
    const found = this.#live(roomId, now);
    if (!('state' in found)) return found;
    const { messages, lastSeq } = found.state;
    let slice: ChatMessage[];
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
    return roomDeadline(clocks, now, () => this.#connections(state, now) > 0);
  }

  #connections(state: RoomState, now: number): number {
    let n = 0;
    for (const p of state.presence.values()) if (p.expiresAt > now) n++;
    return n;
  }

  #hasLiveName(state: RoomState, name: string, now: number): boolean {
    for (const p of state.presence.values()) if (p.name === name && p.expiresAt > now) return true;
    return false;
  }

  #memberCount(state: RoomState, now: number): number {
    const names = new Set<string>();
    for (const p of state.presence.values()) if (p.expiresAt > now) names.add(p.name);
    return names.size;
  }

  #view(state: RoomState, now: number): Room {
    const { id, createdAt, expiresAt, idleTimeoutMs, owner, requireAuth } = state.meta;
    return {
      id,
      createdAt,
      expiresAt,
      idleTimeoutMs,
      // As the other backends read them back: no owner is no field, and requireAuth is always a boolean.
      ...(owner !== undefined ? { owner } : {}),
      requireAuth: requireAuth === true,
      lastActiveAt: state.lastActiveAt,
      firstSeq: state.messages[0]?.seq ?? state.lastSeq + 1,
      lastSeq: state.lastSeq,
      connections: this.#connections(state, now),
      memberCount: this.#memberCount(state, now),
    };
  }
}

export async function createMemoryStorage(options: MemoryStorageOptions = {}): Promise<Storage> {
  return new MemoryStorage(options);
}
