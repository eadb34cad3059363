/**
 * A real Redis Cluster for a test file: `redis-server` processes in cluster
 * mode on loopback ports, each with its own folder under the system temp
 * folder, joined by `redis-cli --cluster create`, and stopped (their folders
 * removed) by `stop`. Without redis-server on the machine the cluster tests
 * skip with a visible message; in CI (env CI set) that is a failure.
 *
 * Must never: touch a Redis it did not start (the shared one on 6379 above all).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterNode {
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

export interface TestCluster {
  readonly nodes: ClusterNode[];
  /** Seed URLs of every node, comma-separated, as `--redis-url` takes them. */
  readonly url: string;
  /** Runs redis-cli against one node; resolves with its output. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The port of the primary that serves a key's slot now. */
  primaryFor(key: string): Promise<number>;
  /** Resolves when every live node reports cluster_state:ok. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** True when redis-server and redis-cli can run; throws in CI when they cannot. */
export function clusterAvailable(): boolean {
  const ok = ['redis-server', 'redis-cli'].every((b) => spawnSync(b, ['--version']).status === 0);
  if (ok) return true;
  if (process.env.CI) throw new Error('CI is set but redis-server/redis-cli cannot run: the cluster tests must run');
  console.warn('\n  SKIPPED: Redis Cluster tests (no redis-server/redis-cli on this machine)\n');
  return false;
}

/**
 * Starts `primaries * (1 + replicas)` nodes on ports from `basePort` up and
 * joins them into one cluster (slots spread over the primaries, each with its
 * replicas). A short node timeout makes failover quick.
 */
export async function startCluster(basePort: number, primaries = 3, replicas = 0): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-cluster-'));
  const ports = Array.from({ length: primaries * (1 + replicas) }, (_, i) => basePort + i);
  const nodes: ClusterNode[] = ports.map((port) => {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
        ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
        ...['--cluster-node-timeout', '1500', '--save', '', '--appendonly', 'no'],
        ...['--dbfilename', `dump-${port}.rdb`, '--logfile', join(dir, `${port}.log`)],
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return { port, child, exited };
  });
  const cli = async (port: number, ...args: string[]): Promise<string> =>
    (await run('redis-cli', ['-p', String(port), ...args])).stdout;
  const stop = async (): Promise<void> => {
    for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    rmSync(dir, { recursive: true, force: true });
  };
  const alive = (): ClusterNode[] => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  const ready = async (timeoutMs = 20_000): Promise<void> => {
    const start = Date.now();
    for (;;) {
      const states = await Promise.all(alive().map((n) => cli(n.port, 'cluster', 'info').catch(() => '')));
      if (states.every((s) => s.includes('cluster_state:ok'))) return;
      if (Date.now() - start > timeoutMs) throw new Error(`cluster not ready: ${states.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  try {
    for (const port of ports) await waitForPing(cli, port);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    await ready();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    nodes,
    url: ports.map((p) => `redis://127.0.0.1:${p}`).join(','),
    cli,
    async primaryFor(key) {
      const slot = Number((await cli(alive()[0]!.port, 'cluster', 'keyslot', key)).trim());
      const lines = (await cli(alive()[0]!.port, 'cluster', 'nodes')).split('\n');
      for (const line of lines) {
        const f = line.split(' ');
        if (!f[2]?.includes('master') || f[2].includes('fail')) continue;
        for (const range of f.slice(8)) {
          const [lo, hi] = range.split('-').map(Number);
          if (slot >= lo! && slot <= (hi ?? lo)!) return Number(f[1]!.split(':')[1]!.split('@')[0]);
        }
      }
      throw new Error(`no primary serves slot ${slot}`);
    },
    ready,
    stop,
  };
}

async function waitForPing(cli: (port: number, ...a: string[]) => Promise<string>, port: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    if ((await cli(port, 'ping').catch(() => '')).includes('PONG')) return;
    if (Date.now() - start > 10_000) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
