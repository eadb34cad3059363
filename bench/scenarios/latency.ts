/**
 * Latency at a fixed offered load: the fan-out room, messages sent open-loop
 * at `rate` per second; the time from send to each delivery, p50 and p99.
 */
import type { Sizes } from '../config.js';
import type { Cpu } from '../lib/results.js';
import { warningsOf } from '../lib/results.js';
import { clientKind, withSession, type RunOptions, type ServerKind } from '../lib/session.js';

export interface Latency {
  p50: number;
  p99: number;
  samples: number;
  cpu: Cpu;
  warnings: string[];
}

export async function latency(kind: ServerKind, rate: number, sizes: Sizes, opts: RunOptions): Promise<Latency> {
  const seconds = (sizes.warmupMs + sizes.durationMs) / 1000 + 1;
  const perSender = Math.ceil((rate * seconds) / sizes.senders);
  return withSession(kind, opts, async (s) => {
    await s.loadgen.request('setupRoom', {
      kind: clientKind(kind),
      url: s.url,
      members: sizes.members,
      senders: sizes.senders,
      perSender,
    });
    const { result, cpu } = await s.measure<{
      p50: number;
      p99: number;
      samples: number;
      exhausted: boolean;
      errors: string[];
    }>('latency', { warmupMs: sizes.warmupMs, durationMs: sizes.durationMs, rate });
    return { p50: result.p50, p99: result.p99, samples: result.samples, cpu, warnings: warningsOf(result) };
  });
}
