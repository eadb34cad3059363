/**
 * What the Redis scripts reply, as the Storage interface gives it: history
 * members ("seq:json") as entries, presence data, a room view, a status.
 * Parsing only: the scripts decide.
 */
import type { ChatMessage, Entry, PublicKey } from '../../protocol/frames.js';
import type { NotLive, Room, RoomGoneReason } from '../types.js';
import type { Reply } from './run.js';

/**
 * A stored history entry is "seq:json" so that equal entries are still distinct zset members. A message's
 * json has no `kind`; an action's and a tombstone's do.
 */
export function parseEntry(member: string): Entry {
  const colon = member.indexOf(':');
  const seq = Number(member.slice(0, colon));
  const body = JSON.parse(member.slice(colon + 1)) as
    (Omit<ChatMessage, 'seq' | 'chain'> & { chain?: string }) | Omit<Exclude<Entry, ChatMessage>, 'seq'>;
  if ('kind' in body) return { seq, ...body } as Entry;
  // Stored before the chain existed: an empty link (docs/deployment.md, upgrading).
  return { seq, ...body, chain: body.chain ?? '' };
}

export function parsePresence(data: string): { name: string; key: PublicKey } {
  const [name, alg, pub] = data.split('\n') as [string, PublicKey['alg'], string];
  return { name, key: { alg, pub } };
}

export function notLive(reply: Reply): NotLive {
  return reply[0] === 'gone' ? { status: 'gone', reason: reply[1] as RoomGoneReason } : { status: 'missing' };
}

/** A key id ("alg:pub", adapters/rules.ts keyId) back as the key. */
function keyOf(id: string): PublicKey {
  const colon = id.indexOf(':');
  return { alg: id.slice(0, colon) as PublicKey['alg'], pub: id.slice(colon + 1) };
}

/**
 * From the Lua view: createdAt, expiresAt, idle, creator, requireAuth, lastActiveAt, firstSeq, lastSeq, conns,
 * members, then the staff (./staff-lua.ts staff_view): ownerAlg, ownerPub, locked, slowModeMs, moderators...
 */
export function toRoom(id: string, v: Reply): Room {
  const owner = v[10] && v[11] ? { alg: v[10] as PublicKey['alg'], pub: v[11] } : null;
  return {
    id,
    createdAt: Number(v[0]),
    expiresAt: Number(v[1]),
    idleTimeoutMs: Number(v[2]),
    ...(v[3] ? { creator: v[3] } : {}),
    ...(owner ? { ownerKey: owner } : {}),
    requireAuth: v[4] === '1',
    staff: {
      owner,
      moderators: v.slice(14).map((m) => keyOf(m!)),
      locked: v[12] === '1',
      slowModeMs: Number(v[13]),
    },
    lastActiveAt: Number(v[5]),
    firstSeq: Number(v[6]),
    lastSeq: Number(v[7]),
    connections: Number(v[8]),
    memberCount: Number(v[9]),
  };
}
