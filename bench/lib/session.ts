/**
 * One measured run against one server: a fresh server process and a fresh
 * load generator process, torn down afterwards, with the CPU each used.
 */
import type { Kind } from '../loadgen/clients.js';
import { startChild, type Child } from './child.js';

export interface RunOptions {
  storage: string;
  /** Extra node flags for the tiny-chat server (e.g. --cpu-prof). */
  tinyNodeArgs: string[];
}

export interface Session {
  server: Child;
  loadgen: Child;
  url: string;
  /** Runs a load-generator command and the CPU share each process took meanwhile (1.0 = one core). */
  measure<T>(cmd: string, args: unknown): Promise<{ result: T; cpu: { server: number; loadgen: number } }>;
}

/** A server to measure: a client kind, or the pre-framed bare ws server (spoken to as 'ws'). */
export type ServerKind = Kind | 'ws-framed';

/** The protocol the load generator speaks to a server. */
export const clientKind = (k: ServerKind): Kind => (k === 'ws-framed' ? 'ws' : k);

const SCRIPTS: Record<ServerKind, string> = {
  tiny: '../servers/tiny-chat.ts',
  ws: '../servers/bare-ws.ts',
  'ws-framed': '../servers/bare-ws-framed.ts',
  sio: '../servers/socket-io.ts',
};

export async function withSession<T>(kind: ServerKind, opts: RunOptions, fn: (s: Session) => Promise<T>): Promise<T> {
  const server = await startChild(
    `${kind} server`,
    SCRIPTS[kind],
    kind === 'tiny' ? [opts.storage] : [],
    kind === 'tiny' ? opts.tinyNodeArgs : [],
  );
  let loadgen: Child | undefined;
  try {
    loadgen = await startChild('load generator', '../loadgen/main.ts', []);
    const { url } = await server.request<{ url: string }>('address');
    const lg = loadgen;
    return await fn({
      server,
      loadgen: lg,
      url,
      async measure<R>(cmd: string, args: unknown) {
        const c0 = [server.cpuSeconds(), lg.cpuSeconds()];
        const t0 = performance.now();
        const result = await lg.request<R>(cmd, args);
        const wall = (performance.now() - t0) / 1000;
        return {
          result,
          cpu: { server: (server.cpuSeconds() - c0[0]!) / wall, loadgen: (lg.cpuSeconds() - c0[1]!) / wall },
        };
      },
    });
  } finally {
    await loadgen?.stop();
    await server.stop();
  }
}
