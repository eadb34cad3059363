/**
 * Latency at a fixed offered load: the one-room fan-out shape, messages sent
 * open-loop at `rate` per second, split between the load generators (each
 * holds a share of the room's members and senders); the time from send to
 * each delivery, p50 and p99 over every generator's samples, and the share
 * of the deliveries owed that arrived (each generator times its own
 * messages at its own members).
 */
import type { Sizes } from '../config.js';
import type { Cpu } from '../lib/results.js';
import { warningsOf } from '../lib/results.js';
import { clientKind, withSession, type RunOptions, type ServerKind } from '../lib/session.js';

export interface Latency {
  p50: number;
  p99: number;
  samples: number;
  /** Deliveries timed over deliveries owed (messages sent in the window × members), in %. */
  delivered: number;
  cpu: Cpu;
  warnings: string[];
}

export async function latency(kind: ServerKind, rate: number, sizes: Sizes, opts: RunOptions): Promise<Latency> {
  const n = Math.min(sizes.loadgens, sizes.members, sizes.senders);
  const seconds = (sizes.warmupMs + sizes.durationMs) / 1000 + 1;
  const perSender = Math.ceil((rate * seconds) / sizes.senders);
  const share = (total: number, i: number): number => Math.floor(total / n) + (i < total % n ? 1 : 0);
  return withSession(
    kind,
    opts,
    async (s) => {
      const rooms = kind === 'tiny' ? await s.loadgen.request<string[]>('createRooms', { url: s.url, count: 1 }) : [''];
      const members = await Promise.all(
        s.loadgens.map((lg, i) =>
          lg
            .request<{ members: number }>('setupRooms', {
              kind: clientKind(kind),
              url: s.url,
              rooms,
              members: share(sizes.members, i),
              senders: share(sizes.senders, i),
              perSender,
              tag: `g${i}`,
            })
            .then((r) => r.members),
        ),
      );
      const { results, cpu } = await s.measureAll<{
        samples: Float64Array;
        messages: number;
        exhausted: boolean;
        errors: string[];
      }>('latency', (i) => ({
        warmupMs: sizes.warmupMs,
        durationMs: sizes.durationMs,
        rate: (rate * share(sizes.senders, i)) / sizes.senders,
      }));
      const all = new Float64Array(results.reduce((sum, r) => sum + r.samples.length, 0));
      let at = 0;
      for (const r of results) {
        all.set(r.samples, at);
        at += r.samples.length;
      }
      all.sort();
      const pct = (p: number): number => all[Math.min(all.length - 1, Math.floor((p / 100) * all.length))] ?? NaN;
      const owed = results.reduce((sum, r, i) => sum + r.messages * members[i]!, 0);
      return {
        p50: pct(50),
        p99: pct(99),
        samples: all.length,
        delivered: (100 * all.length) / owed,
        cpu,
        warnings: results.flatMap((r) => warningsOf(r)),
      };
    },
    n,
  );
}
