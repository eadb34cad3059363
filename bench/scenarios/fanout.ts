/**
 * Fan-out saturation: one room, `members` members, a few of them sending in
 * a closed loop; deliveries per second at all members. Run against bare ws,
 * tiny-chat and Socket.IO with the same load generator.
 */
import type { Sizes } from '../config.js';
import type { Measure } from '../lib/results.js';
import { warningsOf } from '../lib/results.js';
import { clientKind, withSession, type RunOptions, type ServerKind } from '../lib/session.js';

export async function fanout(kind: ServerKind, sizes: Sizes, opts: RunOptions): Promise<Measure> {
  const seconds = (sizes.warmupMs + sizes.durationMs) / 1000;
  const perSender = Math.ceil((sizes.fanoutMaxMsgs * seconds) / sizes.senders);
  return withSession(kind, opts, async (s) => {
    await s.loadgen.request('setupRoom', {
      kind: clientKind(kind),
      url: s.url,
      members: sizes.members,
      senders: sizes.senders,
      perSender,
    });
    const { result, cpu } = await s.measure<{
      deliveries: number;
      elapsedMs: number;
      exhausted: boolean;
      errors: string[];
    }>('saturate', { warmupMs: sizes.warmupMs, durationMs: sizes.durationMs, window: sizes.fanoutWindow });
    return { value: (result.deliveries * 1000) / result.elapsedMs, cpu, warnings: warningsOf(result) };
  });
}
