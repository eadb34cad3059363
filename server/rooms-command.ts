/**
 * `tiny-chat rooms list` and `tiny-chat rooms end ID`: the operator routes
 * (./http/operator.ts) from a shell, either against a running server
 * (`--url`, with the admin token) or directly on its storage (the server's
 * own storage flags). On Redis an end is published on the event bus, so every
 * running instance closes the room's members; on a SQLite file a running
 * server is not told (use `--url` while it runs). docs/deployment.md shows it.
 *
 * Must never: print the admin token, or sweep presence on a SQLite file a
 * running server owns (createSqliteStorage does, at a server's start).
 */
import type { EventBus, Room, Storage } from '../adapters/types.js';
import type { RoomListResponse } from '../protocol/frames.js';
import { ROOM_LIST_PAGE } from '../protocol/limits.js';
import { CLI_OPTIONS, parseCli } from './options/command-line.js';
import { resolveGroup, show, type Failure } from './options/resolve.js';
import { RoomsToolSchema, type Command } from './options/schema.js';
import { publishClosed } from './fanout/events.js';

export const ROOMS_USAGE = `Usage: tiny-chat rooms list [--url URL] [options]
       tiny-chat rooms end ROOM_ID [--url URL] [options]

  --url <string> [TINY_CHAT_URL]
      ${RoomsToolSchema.properties.url.description}
With --url, the admin token (--admin-token, TINY_CHAT_ADMIN_TOKEN) is required. Without it, the storage
options of the server (--storage, --db, --redis-url, --redis-prefix...) say which storage to open.`;

/** What a run prints and its exit code: 0 done, 1 refused (unknown room...), 2 bad usage. */
export interface Outcome {
  readonly code: 0 | 1 | 2;
  readonly out: string;
  readonly err: string;
}

const usage = (why: string): Outcome => ({ code: 2, out: '', err: `tiny-chat: ${why}\n\n${ROOMS_USAGE}\n` });

/** One room a line, tab-separated under a header, for people and for `cut`. */
const HEADER = 'ROOM\tMEMBERS\tCONNECTIONS\tCREATED\tEXPIRES\tCREATOR';
type Listed = Pick<RoomListResponse['rooms'][number], 'memberCount' | 'connections' | 'createdAt' | 'expiresAt'> & {
  readonly id: string;
  readonly creator?: string | undefined;
};
const line = (r: Listed): string =>
  [r.id, r.memberCount, r.connections, iso(r.createdAt), iso(r.expiresAt), r.creator ?? '-'].join('\t');
const iso = (ms: number): string => new Date(ms).toISOString();

/** Splits the command line: the positionals, `--url`, and every other flag for the server's parser. */
function split(argv: readonly string[]): { positionals: string[]; url?: string; rest: string[] } {
  const positionals: string[] = [];
  const rest: string[] = [];
  let url: string | undefined;
  const valued = new Set(['url', ...CLI_OPTIONS.map((o) => o.flag)]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const value = eq >= 0 ? arg.slice(eq + 1) : valued.has(name) ? argv[++i] : undefined;
    if (name === 'url') url = value;
    else rest.push(`--${name}`, ...(value === undefined ? [] : [value]));
  }
  return { positionals, rest, ...(url === undefined ? {} : { url }) };
}

export async function roomsCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const { positionals, url: urlFlag, rest } = split(argv);
  if (rest.includes('--help')) return { code: 0, out: `${ROOMS_USAGE}\n`, err: '' };
  const [action, roomId, extra] = positionals;
  if (action !== 'list' && action !== 'end') return usage('rooms needs "list" or "end ROOM_ID"');
  if ((action === 'end') !== (roomId !== undefined) || extra !== undefined) return usage('unexpected arguments');
  let parsed: ReturnType<typeof parseCli>;
  let url: string | undefined;
  try {
    parsed = parseCli(rest, env);
    const given = urlFlag ?? (env['TINY_CHAT_URL'] || undefined);
    const explain = (f: Failure): string =>
      `${urlFlag ? '--url' : 'TINY_CHAT_URL'} must be ${f.meta?.expected}, got ${show(f.value)}`;
    url = resolveGroup(RoomsToolSchema, given === undefined ? {} : { url: given }, explain).url;
  } catch (err) {
    return usage(err instanceof Error ? err.message.replace(/^tiny-chat: /, '') : String(err));
  }
  if (url !== undefined) {
    const token = parsed.security.adminToken;
    if (token === undefined) return usage('--url needs the admin token (--admin-token or TINY_CHAT_ADMIN_TOKEN)');
    return action === 'list' ? listOver(url, token) : endOver(url, token, roomId!);
  }
  const opened = await openForTool(parsed.command);
  if ('code' in opened) return opened;
  try {
    return action === 'list' ? await listIn(opened.storage) : await endIn(opened.storage, opened.bus, roomId!);
  } finally {
    await Promise.all([opened.storage.close(), opened.bus?.close()]);
  }
}

async function listOver(base: string, token: string): Promise<Outcome> {
  const lines = [HEADER];
  let after: string | undefined;
  do {
    const query = `limit=${ROOM_LIST_PAGE}${after === undefined ? '' : `&after=${after}`}`;
    const res = await fetch(new URL(`/rooms?${query}`, base), { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) return refused(res);
    const page = (await res.json()) as RoomListResponse;
    lines.push(...page.rooms.map((r) => line({ ...r, id: r.roomId })));
    after = page.next;
  } while (after !== undefined);
  return { code: 0, out: `${lines.join('\n')}\n`, err: '' };
}

async function endOver(base: string, token: string, roomId: string): Promise<Outcome> {
  const res = await fetch(new URL(`/rooms/${encodeURIComponent(roomId)}`, base), {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
  return res.status === 204 ? { code: 0, out: `ended ${roomId}\n`, err: '' } : refused(res);
}

/** A server's refusal as the command prints it: its status and code. */
async function refused(res: Response): Promise<Outcome> {
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  const what = body.code ? `${body.code}: ${body.message ?? ''}` : res.statusText;
  return { code: 1, out: '', err: `tiny-chat: the server answered ${res.status} ${what}\n` };
}

async function listIn(storage: Storage): Promise<Outcome> {
  const lines = [HEADER];
  let after: string | undefined;
  do {
    const page = await storage.listRooms({ limit: ROOM_LIST_PAGE, ...(after ? { after } : {}) }, Date.now());
    lines.push(...page.rooms.map((r: Room) => line(r)));
    after = page.next;
  } while (after !== undefined);
  return { code: 0, out: `${lines.join('\n')}\n`, err: '' };
}

async function endIn(storage: Storage, bus: EventBus | undefined, roomId: string): Promise<Outcome> {
  const ended = await storage.endRoom(roomId, Date.now());
  if (ended.status !== 'ended') {
    const why = ended.status === 'missing' ? 'room-not-found' : `room-expired (${ended.reason})`;
    return { code: 1, out: '', err: `tiny-chat: ${roomId}: ${why}\n` };
  }
  // Instances on this Redis close its members; a SQLite server in another process cannot be told.
  if (bus) await publishClosed(bus, roomId, 'ended');
  return { code: 0, out: `ended ${roomId}\n`, err: '' };
}

/** The server's storage, opened for a short look: no presence sweep, and the bus only where it reaches servers. */
async function openForTool(command: Command): Promise<{ storage: Storage; bus?: EventBus } | Outcome> {
  switch (command.storage) {
    case 'memory':
      return usage('memory storage lives inside the server process: use --url');
    case 'sqlite': {
      const { SqliteStorage } = await import('../adapters/sqlite/index.js');
      return { storage: new SqliteStorage({ path: command.db, synchronous: command.sqliteSynchronous }) };
    }
    case 'redis': {
      const { createRedisEventBus, createRedisStorage } = await import('../adapters/redis/index.js');
      const redis = {
        url: command.redisUrl,
        prefix: command.redisPrefix,
        ...(command.redisCluster ? { cluster: true } : {}),
      };
      return { storage: await createRedisStorage(redis), bus: await createRedisEventBus(redis) };
    }
  }
}
