/**
 * The load generator's side of fan-out and latency: its share of one or more
 * rooms (a room may be shared with other load-generator processes), a few
 * senders per room with pre-built frames, and one observing member per room.
 *
 * Frame ids start with this process's tag (`g0-`, `g1-`, …), so a room's
 * observer counts only its own process's messages for the closed loop, even
 * where another process sends into the same room.
 */
import { deliveredId } from '../lib/payload.js';
import type { BenchClient, Kind } from './clients.js';
import { connectOne, errors, framesFor, held, pool, settle, timed, type Sender, type Window } from './common.js';

interface Room {
  observer: BenchClient;
  senders: Sender[];
  sent: number;
  observed: number;
  turn: number;
}

let rooms: Room[] = [];
let marker = Buffer.alloc(0);

export interface RoomsSetup {
  kind: Kind;
  url: string;
  /** tiny-chat room ids, or room keys for the baselines. */
  rooms: string[];
  /** This process's members and senders in each room. */
  members: number;
  senders: number;
  perSender: number;
  /** Unique per load-generator process: prefixes names and frame ids. */
  tag: string;
}

export async function setupRooms(a: RoomsSetup): Promise<{ members: number; frames: number }> {
  marker = Buffer.from(`"id":"${a.tag}-`);
  const perRoom = await pool(a.rooms.length, 10, (r) =>
    pool(a.members, 10, (i) => connectOne(a.kind, a.url, a.rooms[r]!, `${a.tag}-${i}`)),
  );
  held.clients = perRoom.flat();
  rooms = perRoom.map((members, r) => ({
    observer: members[0]!,
    senders: members
      .slice(0, a.senders)
      .map((client, i) => ({ client, frames: framesFor(client, `${a.tag}-r${r}s${i}`, a.perSender), next: 0 })),
    sent: 0,
    observed: 0,
    turn: 0,
  }));
  // One message per sender through the whole path first, so that no window counts the server's start-up.
  await Promise.all(
    rooms.map(
      (room) =>
        new Promise<void>((resolve) => {
          let seen = 0;
          room.observer.onDelivery = (data) =>
            void (data.includes(marker) && ++seen === room.senders.length && resolve());
          for (const s of room.senders) s.client.ws.send(s.frames[s.next++]!);
        }),
    ),
  );
  return { members: held.clients.length, frames: rooms.length * a.senders * a.perSender };
}

/**
 * Closed loop per room: at most `window` of this process's messages in
 * flight in each room, counted as sent minus seen by the room's observer;
 * deliveries counted at every member.
 */
export async function saturate(a: Window & { window: number }): Promise<Record<string, unknown>> {
  let counting = false;
  let stopped = false;
  let exhausted = false;
  let deliveries = 0;
  const pump = (room: Room): void => {
    while (!stopped && room.sent - room.observed < a.window) {
      const s = room.senders[room.turn++ % room.senders.length]!;
      const frame = s.frames[s.next++];
      if (frame === undefined) {
        // Before the window as much as inside it: either way the rate it reports is the supply's, not the server's.
        exhausted = true;
        return;
      }
      s.client.ws.send(frame);
      room.sent++;
    }
  };
  for (const c of held.clients) c.onDelivery = () => void (counting && deliveries++);
  for (const room of rooms) {
    room.sent = room.observed = 0;
    room.observer.onDelivery = (data) => {
      if (counting) deliveries++;
      if (!data.includes(marker)) return;
      room.observed++;
      pump(room);
    };
  }
  for (const room of rooms) pump(room);
  const { elapsedMs } = await timed(a, () => (counting = true));
  counting = false;
  stopped = true;
  await settle(() => rooms.every((r) => r.observed >= r.sent));
  return { deliveries, elapsedMs, exhausted, errors: errors() };
}

/** Open loop at `rate` messages/s from this process's senders; latency from send to each delivery, in ms. */
export async function latency(a: Window & { rate: number }): Promise<Record<string, unknown>> {
  const senders = rooms.flatMap((r) => r.senders);
  const sentAt = new Map<string, number>();
  let samples = new Float64Array(1 << 16);
  let n = 0;
  let recording = false;
  let sent = 0;
  let turn = 0;
  let exhausted = false;
  const now = (): number => Number(process.hrtime.bigint()) / 1e6;
  const onDelivery = (data: Buffer): void => {
    const t = now();
    const id = deliveredId(data);
    const at = id === undefined ? undefined : sentAt.get(id);
    if (at === undefined) return;
    if (n === samples.length) {
      const bigger = new Float64Array(n * 2);
      bigger.set(samples);
      samples = bigger;
    }
    samples[n++] = t - at;
  };
  for (const c of held.clients) c.onDelivery = onDelivery;
  const start = now();
  const tick = (): void => {
    const due = Math.floor(((now() - start) * a.rate) / 1000);
    while (sent < due) {
      const s = senders[turn++ % senders.length]!;
      const frame = s.frames[s.next++];
      if (frame === undefined) {
        exhausted = true;
        return;
      }
      if (recording) sentAt.set(deliveredId(Buffer.from(frame))!, now());
      s.client.ws.send(frame);
      sent++;
    }
  };
  const timer = setInterval(tick, 1);
  const { elapsedMs } = await timed(a, () => (recording = true));
  recording = false;
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 300));
  // Raw samples go back to the runner (structured clone, bench/lib/child.ts), which takes the percentiles over
  // every load generator's.
  return { samples: samples.slice(0, n), messages: sentAt.size, elapsedMs, exhausted, errors: errors() };
}

export function closeRooms(): void {
  rooms = [];
}
