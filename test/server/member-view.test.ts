/**
 * Big rooms (issue 12 item 8), through real sockets on every adapter that
 * stores presence (memory, a SQLite file, two instances on the real Redis):
 * the welcome lists the first MEMBER_PAGE members and the total, `members`
 * pages give everyone exactly once, presence changes are coalesced per tick
 * and net out, and every member's list converges on storage's, in one order
 * for the sockets of one instance (server/fanout/member-view.ts,
 * server/session/members.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import type { EventBus, Storage } from '../../adapters/types.js';
import type { MembersPageFrame, PresenceFrame } from '../../protocol/frames.js';
import { MEMBER_PAGE } from '../../protocol/limits.js';
import { isJoin, isLeave, TestClient } from '../helpers/client.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

/** Long enough that a join and a close, or a close and a rejoin, land in one tick on a loaded machine. */
const TICK = 1000;

interface Setup {
  servers: Running[];
  cleanup(): Promise<void>;
}

/** One or more servers on one adapter, each with this presence tick. */
type Factory = (presenceTickMs: number) => Promise<Setup>;

interface Ctx {
  setup: Setup;
  clients: TestClient[];
  roomId: string;
}

const sorted = (names: Iterable<string>): string[] => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const names3 = (i: number): string => `m${String(i).padStart(3, '0')}`;

async function joinOn(ctx: Ctx, srv: Running, name: string, identity?: TestClient['identity']): Promise<TestClient> {
  const c = await TestClient.connect(srv.url, identity);
  ctx.clients.push(c);
  await c.join(ctx.roomId, name);
  return c;
}

/** Waits until storage lists exactly `expected` and every client in `followers` holds it. */
async function converged(ctx: Ctx, followers: TestClient[], expected: string[]): Promise<void> {
  const srv = ctx.setup.servers[0]!;
  const stored = await srv.storage.listMembers(ctx.roomId, srv.clock.now());
  assert.equal(
    stored.map((m) => m.name),
    expected,
  );
  for (const c of followers) await c.waitFor(() => c.heldMembers().join() === expected.join(), 5000);
}

/** Every `members` page from the first, `limit` at a time. */
async function pageAll(c: TestClient, limit: number): Promise<MembersPageFrame[]> {
  const pages: MembersPageFrame[] = [];
  let after: string | null = null;
  do {
    c.sendJson({ type: 'members', limit, ...(after === null ? {} : { after }) });
    const page = await c.next('members');
    pages.push(page);
    after = page.next;
  } while (after !== null);
  return pages;
}

const presenceAfter = (c: TestClient, from: number): PresenceFrame[] =>
  c.frames.slice(from).filter((f): f is PresenceFrame => f.type === 'presence');

function cases(adapter: string, factory: Factory): void {
  const test = suite<Ctx>(`big rooms on ${adapter}`);
  test.after.each(async (ctx) => {
    for (const c of ctx.clients) c.close();
    // Until shutdown waits for its sockets to leave (issue 12 item 6), stop only once they have.
    const srv = ctx.setup.servers[0]!;
    const deadline = Date.now() + 5000;
    while ((await srv.storage.listMembers(ctx.roomId, srv.clock.now())).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await ctx.setup.cleanup();
  });
  const start = async (ctx: Ctx, tick: number): Promise<Running[]> => {
    ctx.setup = await factory(tick);
    ctx.clients = [];
    ctx.roomId = await createRoom(ctx.setup.servers[0]!.url);
    return ctx.setup.servers;
  };

  test('welcome lists the first page and the total; pages give everyone exactly once', async (ctx) => {
    const servers = await start(ctx, 100);
    const total = MEMBER_PAGE + 4;
    const members: TestClient[] = [];
    for (let i = 0; i < total; i++) members.push(await joinOn(ctx, servers[i % servers.length]!, names3(i)));
    const everyone = sorted([...members.map((c) => c.name), 'zed']);
    // The newcomer's instance must hold everyone before it can list them: its first members follow the list.
    const last = servers[servers.length - 1]!;
    await converged(ctx, members.slice(servers.length - 1, servers.length), everyone.slice(0, -1));

    const zed = await joinOn(ctx, last, 'zed');
    const welcome = zed.frames.find((f) => f.type === 'welcome')!;
    assert.ok(welcome.type === 'welcome');
    assert.is(welcome.room.memberCount, total + 1);
    assert.equal(
      welcome.members.map((m) => m.name),
      everyone.slice(0, MEMBER_PAGE),
    );

    const pages = await pageAll(zed, 7);
    assert.equal(
      pages.flatMap((p) => p.members.map((m) => m.name)),
      everyone,
    );
    assert.is(pages.length, Math.ceil((total + 1) / 7));
    for (const [i, p] of pages.entries()) {
      assert.is(p.memberCount, total + 1);
      assert.is(p.after, i === 0 ? null : pages[i - 1]!.next);
      assert.ok(p.members.every((m) => p.after === null || m.name > p.after));
    }
    // A page after a name that is not a member starts at the next name above it.
    zed.sendJson({ type: 'members', after: 'm050a', limit: 2 });
    const between = await zed.next('members');
    assert.equal(
      between.members.map((m) => m.name),
      ['m051', 'm052'],
    );
  });

  test('a socket that does not hold the whole list gets the count alone, until it asks for the first page', async (ctx) => {
    const servers = await start(ctx, 100);
    const srv = servers[0]!;
    const first = await joinOn(ctx, srv, names3(0));
    for (let i = 1; i <= MEMBER_PAGE; i++) await joinOn(ctx, servers[i % servers.length]!, names3(i));
    await converged(ctx, [first], sorted(Array.from({ length: MEMBER_PAGE + 1 }, (_, i) => names3(i))));

    const late = await joinOn(ctx, srv, 'zed');
    const from = late.frames.length;
    const extra = await joinOn(ctx, srv, 'yan');
    const counted = await late.waitFor((f) => f.type === 'presence' && f.memberCount === MEMBER_PAGE + 3);
    assert.equal(counted, { type: 'presence', joined: [], left: [], memberCount: MEMBER_PAGE + 3 });
    await first.waitFor((f) => isJoin(f, 'yan'));
    assert.not.ok(presenceAfter(late, from).some((f) => f.joined.length + f.left.length > 0));

    late.sendJson({ type: 'members' });
    await late.next('members');
    extra.close();
    const left = await late.waitFor((f) => isLeave(f, 'yan'));
    assert.equal(left.memberCount, MEMBER_PAGE + 2);
  });

  test('a join and a leave within one tick net out; so do a leave and a rejoin', async (ctx) => {
    const [srv] = await start(ctx, TICK);
    const watcher = await joinOn(ctx, srv!, 'watcher');
    const amy = await joinOn(ctx, srv!, 'amy');
    await watcher.waitFor((f) => isJoin(f, 'amy'), 3 * TICK);

    // A tick opens with the ghost's join and ends after its leave.
    const ghost = await joinOn(ctx, srv!, 'ghost');
    ghost.close();
    // amy drops and comes back under the same key within the same tick.
    amy.close();
    const again = await joinOn(ctx, srv!, 'amy', amy.identity);
    assert.is(again.name, 'amy');
    await ghost.waitClosed();
    await new Promise((r) => setTimeout(r, 2 * TICK));

    const marker = await joinOn(ctx, srv!, 'marker');
    const seen = await watcher.waitFor((f) => isJoin(f, 'marker'), 3 * TICK);
    const before = watcher.frames.slice(0, watcher.frames.indexOf(seen) + 1).filter((f) => f.type === 'presence');
    assert.equal(watcher.presenceLog(), ['join amy 2', 'join marker 3']);
    assert.is(before.length, 2);
    await converged(ctx, [watcher, again, marker], ['amy', 'marker', 'watcher']);
  });

  test('through churn every member ends with the live list, in one order on each instance', async (ctx) => {
    const servers = await start(ctx, 100);
    const observers: TestClient[] = [];
    for (let i = 0; i < 4; i++) observers.push(await joinOn(ctx, servers[i % servers.length]!, `obs${i}`));
    const base = observers.map((o) => o.name).sort();
    await converged(ctx, observers, base);
    const marks = observers.map((o) => o.frames.length);

    const churn = await Promise.all(
      Array.from({ length: 12 }, (_, i) => joinOn(ctx, servers[i % servers.length]!, `churn${i}`)),
    );
    // Leaves interleaved with newcomers that join mid-churn and must end up exact too.
    const late: Promise<TestClient>[] = [];
    for (const [i, c] of churn.entries()) {
      if (i % 3 === 0) c.close();
      if (i % 4 === 0) late.push(joinOn(ctx, servers[(i + 1) % servers.length]!, `late${i}`));
    }
    const newcomers = await Promise.all(late);
    const expected = sorted([
      ...base,
      ...churn.filter((_, i) => i % 3 !== 0).map((c) => c.name),
      ...newcomers.map((c) => c.name),
    ]);
    await converged(ctx, [...observers, ...newcomers, ...churn.filter((_, i) => i % 3 !== 0)], expected);

    // Sockets of one instance got the same presence frames, in the same order.
    for (const [s] of servers.entries()) {
      const here = observers.map((o, i) => ({ o, i })).filter(({ i }) => i % servers.length === s);
      const seqs = here.map(({ o, i }) => JSON.stringify(presenceAfter(o, marks[i]!)));
      for (const q of seqs) assert.is(q, seqs[0]);
    }
  });

  test('a `members` frame before join is refused, and a bad one is invalid', async (ctx) => {
    const [srv] = await start(ctx, 100);
    const c = await TestClient.connect(srv!.url);
    ctx.clients.push(c);
    c.sendJson({ type: 'members' });
    const refused = await c.next('error');
    assert.equal([refused.code, refused.ref], ['not-joined', 'members']);
    c.sendJson({ type: 'members', limit: 501 });
    assert.is((await c.next('error')).code, 'invalid-frame');
    c.sendJson({ type: 'members', after: '' });
    assert.is((await c.next('error')).code, 'invalid-frame');
  });

  test.run();
}

const single =
  (open: () => Promise<{ storage: Storage; close: () => Promise<void> }>): Factory =>
  async (presenceTickMs) => {
    const { storage, close } = await open();
    const srv = await startServer({ storage, presenceTickMs });
    return {
      servers: [srv],
      async cleanup() {
        await srv.stop();
        await close();
      },
    };
  };

cases(
  'memory',
  single(async () => {
    const storage = await createMemoryStorage();
    return { storage, close: () => storage.close() };
  }),
);

cases(
  'a SQLite file',
  single(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-big-'));
    const storage = await createSqliteStorage({ path: join(dir, 'chat.db') });
    return {
      storage,
      async close() {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }),
);

if (await redisAvailable()) {
  cases('two instances on Redis', async (presenceTickMs) => {
    const prefix = testPrefix();
    const owned: (Storage | EventBus)[] = [];
    const servers: Running[] = [];
    for (let i = 0; i < 2; i++) {
      const storage = await createRedisStorage({ url: REDIS_URL, prefix });
      const bus = await createRedisEventBus({ url: REDIS_URL, prefix });
      owned.push(storage, bus);
      servers.push(await startServer({ storage, bus, presenceTickMs }));
    }
    return {
      servers,
      async cleanup() {
        for (const s of servers) await s.stop();
        for (const o of owned) await o.close();
        await dropPrefix(prefix);
      },
    };
  });
}
