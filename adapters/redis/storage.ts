/**
 * Redis storage (ioredis): many tiny-chat instances behind a load balancer
 * share one Redis, or one Redis Cluster. A room's state changes are Lua
 * scripts on its keys alone (./scripts.ts), so they are atomic across
 * instances and each runs on one cluster slot; what spans rooms is kept by
 * ./sweep-index.ts. Room events are not its job: they travel on the Redis
 * event bus (./bus.ts), which servers on this storage must be given.
 */
import type { PublicKey } from '../../protocol/frames.js';
import { genesisLink, keyId, membersByName } from '../rules.js';
import { actionResult, tryAction, type ActionItem } from './actions.js';
import { messageResult, tryMessage, type MessageItem } from './messages.js';
import { ChainAppends } from './chain-heads.js';
import { connect, DEFAULT_PREFIX, type RedisClient, type RedisConnectionOptions } from './connection.js';
import { INDEX_SCRIPTS } from './index-scripts.js';
import { historyKey, roomKey, serverKeyKey } from './keys.js';
import { notLive, parseEntry, parsePresence, toRoom } from './entries.js';
import { ScriptRunner, type Reply } from './run.js';
import { SCRIPTS, type ScriptName } from './scripts.js';
import { SweepIndex } from './sweep-index.js';
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
  RoomList,
  RoomListQuery,
  RoomLookup,
  ServerKeyRecord,
  Storage,
} from '../types.js';

export interface RedisStorageOptions extends RedisConnectionOptions {
  /** How long a deleted room's id is remembered as 'gone' rather than 'missing'. Default 24 h. */
  tombstoneMs?: number;
  /** How long room keys outlive their deadlines when no instance sweeps them. Default 1 h. */
  graceMs?: number;
}

export class RedisStorage implements Storage {
  /** Every instance on this Redis sees the same rooms, so their events need the Redis bus. */
  readonly shared = true;
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #tombstoneMs: number;
  readonly #graceMs: number;
  readonly #scripts: ScriptRunner<ScriptName>;
  readonly #index: SweepIndex;
  /** Messages and actions share a room's head, so one queue per room orders both. */
  readonly #appends = new ChainAppends<MessageItem | ActionItem>((roomId, item, head) =>
    'a' in item
      ? tryAction((args) => this.#run('action', args), roomId, item, head, this.#graceMs)
      : tryMessage((args) => this.#run('append', args), roomId, item, head, this.#graceMs),
  );

  constructor(options: RedisStorageOptions) {
    this.#redis = connect(options, 'storage');
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#tombstoneMs = options.tombstoneMs ?? 24 * 3600_000;
    this.#graceMs = options.graceMs ?? 3600_000;
    this.#scripts = new ScriptRunner(this.#redis, SCRIPTS);
    const indexScripts = new ScriptRunner(this.#redis, INDEX_SCRIPTS);
    this.#index = new SweepIndex(this.#redis, this.#prefix, (name, args) => this.#run(name, args), indexScripts);
  }

  async createRoom(room: NewRoom, quota?: Quota): Promise<CreateRoomResult> {
    await this.#index.roomCreating(room.id, Math.min(room.expiresAt, room.createdAt + room.idleTimeoutMs));
    // The quota is counted and the room recorded in the owner's slot first; a room that then
    // turns out to exist already gives its place back.
    let reserved = false;
    if (room.creator) {
      const max = quota ? quota.maxRooms : undefined;
      const r = await this.#index.reserve(room.creator, room.id, room.expiresAt, room.createdAt, max);
      if (!r.ok) return { status: 'quota-exceeded', live: r.live };
      reserved = r.added;
    }
    const r = await this.#run('createRoom', [
      room.id,
      room.createdAt,
      room.expiresAt,
      room.idleTimeoutMs,
      room.creator ?? '',
      room.requireAuth ? 1 : 0,
      this.#graceMs,
      genesisLink(room.id, room.createdAt),
      room.ownerKey?.alg ?? '',
      room.ownerKey?.pub ?? '',
    ]);
    if (r[0] === 'exists') {
      if (reserved) await this.#index.unreserve(room.creator!, room.id);
      return { status: 'exists' };
    }
    return { status: 'created', room: toRoom(room.id, r.slice(1)) };
  }

  async getRoom(roomId: string, now: number): Promise<RoomLookup> {
    const r = await this.#run('lookup', [roomId, now]);
    return r[0] === 'live' ? { status: 'live', room: toRoom(roomId, r.slice(1)) } : notLive(r);
  }

  async bindName(roomId: string, req: BindRequest, now: number): Promise<BindResult> {
    const pairs = req.candidates.flatMap((c) => [c.name, c.skeleton]);
    const r = await this.#run('bind', [roomId, now, keyId(req.key), req.subject ?? '', this.#graceMs, ...pairs]);
    switch (r[0]) {
      case 'bound':
        return { status: 'bound', name: r[1]!, existing: r[2] === '1' };
      case 'names-taken':
        return { status: 'names-taken' };
      case 'subject-mismatch':
      case 'banned':
      case 'locked':
        return { status: r[0] };
      case 'kicked':
        return { status: 'kicked', until: Number(r[1]) };
      default:
        return notLive(r);
    }
  }

  async addPresence(roomId: string, entry: PresenceEntry, now: number, ttlMs: number): Promise<PresenceResult> {
    const data = `${entry.name}\n${entry.key.alg}\n${entry.key.pub}`;
    await this.#index.connAdding(roomId, entry.connId, now + ttlMs);
    const r = await this.#run('addPresence', [roomId, now, ttlMs, entry.connId, data, this.#graceMs]);
    if (r[0] !== 'ok') return notLive(r);
    return { status: 'ok', first: r[1] === '1', memberCount: Number(r[2]) };
  }

  async refreshPresence(roomId: string, connIds: readonly string[], now: number, ttlMs: number): Promise<string[]> {
    if (connIds.length === 0) return [];
    const missed = (await this.#run('refreshPresence', [roomId, now, ttlMs, this.#graceMs, ...connIds])) as string[];
    const gone = new Set(missed);
    await this.#index.connsExtended(
      roomId,
      connIds.filter((c) => !gone.has(c)),
      now + ttlMs,
    );
    return missed;
  }

  async removePresence(roomId: string, connId: string, now: number): Promise<PresenceRemoval | undefined> {
    const r = await this.#run('removePresence', [roomId, connId, now]);
    await this.#index.connRemoved(roomId, connId);
    return r === null ? undefined : this.#removals(r)[0];
  }

  async sweepPresence(now: number): Promise<PresenceRemoval[]> {
    return this.#removals(await this.#index.sweepPresence(now));
  }

  async listMembers(roomId: string, now: number): Promise<{ name: string; key: PublicKey }[]> {
    return membersByName((await this.#run('members', [roomId, now])).map((d) => parsePresence(d!)));
  }

  /** A compare-and-set on the room's head, batched per room and retried when another instance won (./chain-heads.ts). */
  async appendMessage(roomId: string, m: NewMessage, opts: AppendOptions): Promise<AppendResult> {
    return messageResult(await this.#appends.submit(roomId, { m, opts }), m);
  }

  /**
   * Checked and stored by one script (./moderation-scripts.ts), in the room's queue with its messages. A
   * remove's target is read first: the script replaces it only if it is still that exact member.
   */
  async appendAction(roomId: string, a: NewAction, opts: AppendOptions): Promise<ActionResult> {
    const act = a.action;
    const targetMember =
      act.act === 'remove'
        ? ((await this.#redis.zrangebyscore(historyKey(this.#prefix, roomId), act.seq, act.seq))[0] ?? '')
        : '';
    return actionResult(await this.#appends.submit(roomId, { a, opts, targetMember }), a);
  }

  async readMessages(roomId: string, q: ReadQuery, now: number): Promise<MessagePage | NotLive> {
    const [mode, bound] = q.after !== undefined ? ['after', q.after] : ['before', q.before ?? Number.MAX_SAFE_INTEGER];
    const r = await this.#run('read', [roomId, now, mode, bound, q.limit]);
    if (r[0] !== 'live') return notLive(r);
    return {
      messages: r.slice(3).map((m) => parseEntry(m!)),
      firstSeq: Number(r[1]),
      lastSeq: Number(r[2]),
    };
  }

  async expireRooms(now: number): Promise<ExpiredRoom[]> {
    return this.#index.expireRooms(now, this.#tombstoneMs);
  }

  async endRoom(roomId: string, now: number): Promise<EndRoomResult> {
    const r = await this.#run('endRoom', [roomId, now, this.#tombstoneMs]);
    if (r[0] !== 'ended') return notLive(r);
    await this.#index.roomEnded(roomId, r[1]!, r.slice(2) as string[]);
    return { status: 'ended' };
  }

  /** Scans the whole 'due' index (an operator's listing, not a hot path), then looks rooms up a page at a time. */
  async listRooms(q: RoomListQuery, now: number): Promise<RoomList> {
    const ids = await this.#index.roomIdsAfter(q.after ?? '');
    const rooms: Room[] = [];
    for (let i = 0; i < ids.length; i += q.limit + 1) {
      const chunk = ids.slice(i, i + q.limit + 1);
      const found = await Promise.all(chunk.map((id) => this.getRoom(id, now)));
      for (const f of found) {
        if (f.status !== 'live') continue;
        if (rooms.length === q.limit) return { rooms, next: rooms[rooms.length - 1]!.id };
        rooms.push(f.room);
      }
    }
    return { rooms };
  }

  async serverKey(candidate: ServerKeyRecord): Promise<ServerKeyRecord> {
    const key = serverKeyKey(this.#prefix);
    // SET NX: of two instances starting together, the first write wins and both read it back.
    await this.#redis.set(key, JSON.stringify(candidate), 'NX');
    const kept = await this.#redis.get(key);
    if (kept === null) throw new Error('tiny-chat: the server key vanished from Redis');
    return JSON.parse(kept) as ServerKeyRecord;
  }

  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }

  /** A room script: args[0] is always the room id, whose main key routes it (KEYS[1]). */
  #run(name: ScriptName, args: (string | number)[]): Promise<Reply> {
    return this.#scripts.run(name, roomKey(this.#prefix, String(args[0])), [this.#prefix, ...args]);
  }

  #removals(flat: Reply): PresenceRemoval[] {
    const out: PresenceRemoval[] = [];
    for (let i = 0; i < flat.length; i += 4) {
      const p = parsePresence(flat[i + 1]!);
      out.push({ roomId: flat[i]!, ...p, last: flat[i + 2] === '1', memberCount: Number(flat[i + 3]) });
    }
    return out;
  }
}

export async function createRedisStorage(options: RedisStorageOptions): Promise<Storage> {
  const storage = new RedisStorage(options);
  await storage.ping();
  return storage;
}
