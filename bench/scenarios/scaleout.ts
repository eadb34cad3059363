/**
 * `scaleout`: three tiny-chat instances on one Redis (a redis-server of the
 * bench's own, on a Unix socket, so no other traffic is counted), rooms each
 * placed on one instance. Measures how many room events each instance
 * receives while every room gets messages (against every room's events,
 * which one shared channel would give each instance), and the Redis commands
 * and bytes per join and per message, for the sizing model in
 * docs/deployment.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Sizes } from '../config.js';
import { startChild, type Child } from '../lib/child.js';
import type { RunOptions } from '../lib/session.js';

export interface ScaleoutResult {
  instances: number;
  rooms: number;
  sockets: number;
  messages: number;
  /** Room events each instance received while the messages went out. */
  eventsPerInstance: number[];
  /** Redis commands (those inside scripts included) and bytes in and out. */
  perJoin: { commands: number; bytes: number };
  perMessage: { commands: number; bytes: number };
  /** Redis commands and bytes per second with no traffic: every instance's sweeps and heartbeats. */
  background: { commands: number; bytes: number };
  deliveriesPerSecond: number;
  errors: string[];
}

/** Redis's own counters: `commands` includes those that scripts run inside (INFO commandstats counts both). */
interface RedisCounters {
  commands: number;
  bytes: number;
}

async function counters(r: Redis): Promise<RedisCounters> {
  const cmd = await r.info('commandstats');
  const stats = await r.info('stats');
  const commands = [...cmd.matchAll(/calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  const num = (name: string): number => Number(new RegExp(`${name}:(\\d+)`).exec(stats)?.[1] ?? 0);
  return { commands, bytes: num('total_net_input_bytes') + num('total_net_output_bytes') };
}

async function startRedis(dir: string): Promise<{ socket: string; stop: () => Promise<void> }> {
  const socket = join(dir, 'redis.sock');
  const child = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    const probe = new Redis(socket, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
  return {
    socket,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function scaleout(sizes: Sizes, opts: RunOptions): Promise<ScaleoutResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-scaleout-'));
  const redis = await startRedis(dir);
  const servers: Child[] = [];
  let loadgen: Child | undefined;
  const raw = new Redis(redis.socket);
  try {
    for (let i = 0; i < 3; i++) {
      servers.push(
        await startChild(
          `tiny server ${i}`,
          '../servers/tiny-chat.ts',
          ['redis', redis.socket, 'bench'],
          opts.tinyNodeArgs,
        ),
      );
    }
    loadgen = await startChild('load generator', '../loadgen/main.ts', []);
    const urls = await Promise.all(servers.map(async (s) => (await s.request<{ url: string }>('address')).url));
    const stats = (): Promise<{ events: number }[]> =>
      Promise.all(servers.map((s) => s.request<{ events: number }>('stats')));

    const c0 = await counters(raw);
    let sockets = 0;
    for (let first = 0; first < sizes.scaleoutRooms; first += 50) {
      const count = Math.min(50, sizes.scaleoutRooms - first);
      const args = { urls, first, count, members: sizes.scaleoutMembers };
      sockets = (await loadgen.request<{ sockets: number }>('setupPlaced', args)).sockets;
    }
    // Sweeps and heartbeats run whatever the traffic: measured idle, then taken out of the message phase.
    const idle0 = await counters(raw);
    const idleMs = 2000;
    await new Promise((r) => setTimeout(r, idleMs));
    const c1 = await counters(raw);
    const background = {
      commands: ((c1.commands - idle0.commands) * 1000) / idleMs,
      bytes: ((c1.bytes - idle0.bytes) * 1000) / idleMs,
    };
    const e1 = await stats();
    const sent = await loadgen.request<{ messages: number; deliveries: number; seconds: number; errors: string[] }>(
      'sendPlaced',
      { perRoom: sizes.scaleoutPerRoom },
    );
    const c2 = await counters(raw);
    const e2 = await stats();
    await loadgen.request('closePlaced');
    return {
      instances: servers.length,
      rooms: sizes.scaleoutRooms,
      sockets,
      messages: sent.messages,
      eventsPerInstance: e2.map((e, i) => e.events - e1[i]!.events),
      // Each join also pays its share of creating its room (one per room).
      perJoin: { commands: (idle0.commands - c0.commands) / sockets, bytes: (idle0.bytes - c0.bytes) / sockets },
      perMessage: {
        commands: Math.max(0, c2.commands - c1.commands - background.commands * sent.seconds) / sent.messages,
        bytes: Math.max(0, c2.bytes - c1.bytes - background.bytes * sent.seconds) / sent.messages,
      },
      background,
      deliveriesPerSecond: sent.deliveries / sent.seconds,
      errors: sent.errors,
    };
  } finally {
    raw.disconnect();
    await loadgen?.stop();
    for (const s of servers) await s.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
