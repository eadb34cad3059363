/**
 * Fan-out saturation: rooms of `members` members, a few of each room's
 * members sending in a closed loop; deliveries per second at all members.
 * Two shapes (issue 15): one room of 100, and 1,000 rooms of 10. Run against
 * tiny-chat, the pre-framed and the naive bare ws servers and Socket.IO with
 * the same load generators.
 *
 * One room is shared by every load generator (each holds a share of its
 * members and senders); many rooms are dealt out between them whole.
 */
import type { Sizes } from '../config.js';
import type { Measure } from '../lib/results.js';
import { warningsOf } from '../lib/results.js';
import { clientKind, withSession, type RunOptions, type ServerKind } from '../lib/session.js';

export interface Shape {
  rooms: number;
  members: number;
  /** Senders per room, and messages in flight per room, across every load generator. */
  senders: number;
  window: number;
  /** Upper bound of the rate in messages/s, to know how many to sign. */
  maxMsgs: number;
}

export const oneRoom = (s: Sizes): Shape => ({
  rooms: 1,
  members: s.members,
  senders: s.senders,
  window: s.fanoutWindow,
  maxMsgs: s.fanoutMaxMsgs,
});

export const manyRooms = (s: Sizes): Shape => ({
  rooms: s.manyRooms,
  members: s.manyRoomSize,
  senders: 1,
  window: s.manyWindow,
  maxMsgs: s.manyMaxMsgs,
});

export interface FanoutMeasure extends Measure {
  /** Server CPU µs per delivery: its CPU share over the deliveries per second. */
  cpuPerDelivery: number;
}

export async function fanout(kind: ServerKind, shape: Shape, sizes: Sizes, opts: RunOptions): Promise<FanoutMeasure> {
  const n = Math.min(sizes.loadgens, Math.max(shape.rooms, shape.members));
  const shared = shape.rooms < n;
  const seconds = (sizes.warmupMs + sizes.durationMs) / 1000;
  const perSender = Math.ceil((shape.maxMsgs * seconds) / (shape.rooms * shape.senders));
  return withSession(
    kind,
    opts,
    async (s) => {
      const rooms =
        kind === 'tiny'
          ? await s.loadgen.request<string[]>('createRooms', { url: s.url, count: shape.rooms })
          : Array.from({ length: shape.rooms }, (_, r) => String(r));
      const share = (total: number, i: number): number => Math.floor(total / n) + (i < total % n ? 1 : 0);
      await Promise.all(
        s.loadgens.map((lg, i) =>
          lg.request('setupRooms', {
            kind: clientKind(kind),
            url: s.url,
            rooms: shared ? rooms : rooms.filter((_, r) => r % n === i),
            members: shared ? share(shape.members, i) : shape.members,
            senders: shared ? Math.max(1, share(shape.senders, i)) : shape.senders,
            perSender,
            tag: `g${i}`,
          }),
        ),
      );
      const { results, cpu } = await s.measureAll<{
        deliveries: number;
        elapsedMs: number;
        exhausted: boolean;
        errors: string[];
      }>('saturate', (i) => ({
        warmupMs: sizes.warmupMs,
        durationMs: sizes.durationMs,
        window: shared ? Math.max(1, share(shape.window, i)) : shape.window,
      }));
      const value = results.reduce((sum, r) => sum + (r.deliveries * 1000) / r.elapsedMs, 0);
      return {
        value,
        cpu,
        cpuPerDelivery: (cpu.server * 1e6) / value,
        warnings: results.flatMap((r) => warningsOf(r)),
      };
    },
    n,
  );
}
