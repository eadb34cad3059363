/**
 * Ingest: many rooms of two, every member sending pre-signed messages with a
 * few unacknowledged at a time; acknowledgements per second. An ack means the
 * signature was verified and storage holds the message.
 */
import type { Sizes } from '../config.js';
import type { Measure } from '../lib/results.js';
import { warningsOf } from '../lib/results.js';
import { withSession, type RunOptions } from '../lib/session.js';

export async function ingest(verifyPerSec: number, sizes: Sizes, opts: RunOptions): Promise<Measure> {
  const clients = sizes.ingestRooms * 2;
  const seconds = (sizes.warmupMs + sizes.durationMs) / 1000;
  const perClient = Math.ceil((verifyPerSec * sizes.ingestHeadroom * seconds) / clients) + sizes.ingestWindow;
  return withSession('tiny', opts, async (s) => {
    await s.loadgen.request('setupPairs', { url: s.url, rooms: sizes.ingestRooms, perClient });
    const { result, cpu } = await s.measure<{ acks: number; elapsedMs: number; exhausted: boolean; errors: string[] }>(
      'ingest',
      { warmupMs: sizes.warmupMs, durationMs: sizes.durationMs, window: sizes.ingestWindow },
    );
    return { value: (result.acks * 1000) / result.elapsedMs, cpu, warnings: warningsOf(result) };
  });
}
