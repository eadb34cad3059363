/**
 * The child's side of the IPC channel: named commands, each answered once.
 * A child exits when its parent goes away, so a crashed runner leaves no
 * server or load generator behind.
 */
type Handler = (args: never) => unknown;

export function serve(handlers: Record<string, Handler>): void {
  const all: Record<string, Handler> = { ping: () => 'pong', memory: memory, ...handlers };
  process.on('message', (m: { id: number; cmd: string; args: never }) => {
    const handler = all[m.cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${m.cmd}`);
        return handler(m.args);
      })
      .then(
        (value) => process.send?.({ id: m.id, ok: true, value }),
        (err: unknown) =>
          process.send?.({ id: m.id, ok: false, error: err instanceof Error ? err.stack : String(err) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

/** Resident and heap memory after a full collection (children run with --expose-gc). */
async function memory(): Promise<{ rss: number; heapUsed: number; external: number }> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
}
