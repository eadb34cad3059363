/**
 * Ingest: many rooms of two, every member sending pre-signed messages with a
 * few unacknowledged at a time; acknowledgements per second. An ack means the
 * signature was verified and storage holds the message. The rooms are dealt
 * out between the load generators; the server's CPU per acked message is
 * split into its main thread and its verify threads (bench/lib/threads.ts).
 */
import type { Sizes } from '../config.js';
import type { Measure } from '../lib/results.js';
import { warningsOf } from '../lib/results.js';
import { withSession, type RunOptions } from '../lib/session.js';

export interface IngestMeasure extends Measure {
  /** Server CPU µs per acked message: main thread, verify threads, and the whole process. */
  mainPerAck: number;
  verifyPerAck: number;
  serverPerAck: number;
}

export async function ingest(verifyPerSec: number, sizes: Sizes, opts: RunOptions): Promise<IngestMeasure> {
  const n = Math.min(sizes.loadgens, sizes.ingestRooms);
  const clients = sizes.ingestRooms * 2;
  const seconds = (sizes.warmupMs + sizes.durationMs) / 1000;
  const perClient = Math.ceil((verifyPerSec * sizes.ingestHeadroom * seconds) / clients) + sizes.ingestWindow;
  return withSession(
    'tiny',
    opts,
    async (s) => {
      await Promise.all(
        s.loadgens.map((lg, i) =>
          lg.request('setupPairs', {
            url: s.url,
            rooms: Math.floor(sizes.ingestRooms / n) + (i < sizes.ingestRooms % n ? 1 : 0),
            perClient,
          }),
        ),
      );
      const { results, cpu } = await s.measureAll<{
        acks: number;
        elapsedMs: number;
        exhausted: boolean;
        errors: string[];
      }>('ingest', () => ({ warmupMs: sizes.warmupMs, durationMs: sizes.durationMs, window: sizes.ingestWindow }));
      const value = results.reduce((sum, r) => sum + (r.acks * 1000) / r.elapsedMs, 0);
      const perAck = (cores: number | undefined): number => ((cores ?? NaN) * 1e6) / value;
      return {
        value,
        cpu,
        mainPerAck: perAck(cpu.main),
        verifyPerAck: perAck(cpu.verify),
        serverPerAck: perAck(cpu.server),
        warnings: results.flatMap((r) => warningsOf(r)),
      };
    },
    n,
  );
}
