/**
 * The load generator process. It connects the simulated users, signs every
 * message they will send before any timed window opens, then drives one
 * scenario at a time as the runner asks, and reports counts, never opinions.
 */
import { serve } from '../lib/serve.js';
import { bigRoom, closeBigRoom, type BigRoomArgs } from './bigroom.js';
import { joinTiny, type Kind } from './clients.js';
import {
  connectOne,
  createRoom,
  errors,
  framesFor,
  held,
  pool,
  settle,
  timed,
  type Sender,
  type Window,
} from './common.js';
import { closeRooms, latency, saturate, setupRooms, type RoomsSetup } from './rooms.js';
import { closePlaced, sendPlaced, setupPlaced } from './scaleout.js';

let senders: Sender[] = [];

/** Rooms of two: both members send. */
async function setupPairs(a: { url: string; rooms: number; perClient: number }): Promise<{ clients: number }> {
  const rooms = await pool(a.rooms, 20, () => createRoom(a.url));
  held.clients = await pool(a.rooms * 2, 20, (i) => joinTiny(a.url, rooms[i >> 1]!, `member-${i & 1}`));
  senders = held.clients.map((client, i) => ({ client, frames: framesFor(client, `c${i}`, a.perClient), next: 0 }));
  await Promise.all(
    senders.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.client.onAck = resolve;
          s.client.ws.send(s.frames[s.next++]!);
        }),
    ),
  );
  return { clients: held.clients.length };
}

/** Every client sends with at most `window` unacknowledged messages; counts acks. */
async function ingest(a: Window & { window: number }): Promise<Record<string, unknown>> {
  let counting = false;
  let stopped = false;
  let acks = 0;
  let exhausted = false;
  let inFlight = 0;
  for (const s of senders) {
    const sendNext = (): void => {
      const frame = s.frames[s.next++];
      if (frame === undefined) {
        exhausted ||= counting;
        return;
      }
      inFlight++;
      s.client.ws.send(frame);
    };
    s.client.onAck = () => {
      inFlight--;
      if (counting) acks++;
      if (!stopped) sendNext();
    };
    for (let i = 0; i < a.window; i++) sendNext();
  }
  const { elapsedMs } = await timed(a, () => (counting = true));
  counting = false;
  stopped = true;
  await settle(() => inFlight === 0);
  return { acks, elapsedMs, exhausted, errors: errors() };
}

/** Idle sockets, joined to rooms of `roomSize` for tiny-chat. */
async function idle(a: { kind: Kind; url: string; count: number; roomSize: number }): Promise<{ connected: number }> {
  const rooms = a.kind === 'tiny' ? await pool(Math.ceil(a.count / a.roomSize), 20, () => createRoom(a.url)) : [];
  held.clients = await pool(a.count, 100, (i) =>
    connectOne(a.kind, a.url, rooms[Math.floor(i / a.roomSize)] ?? '', `member-${i % a.roomSize}`),
  );
  return { connected: held.clients.filter((c) => c.ws.readyState === c.ws.OPEN).length };
}

/** Drops every client of every scenario: the runner keeps this process for the next measurement. */
async function closeAll(): Promise<void> {
  for (const c of held.clients) c.ws.terminate();
  held.clients = [];
  senders = [];
  closeRooms();
  closeBigRoom();
  closePlaced();
}

serve({
  createRooms: (a: { url: string; count: number }) => pool(a.count, 20, () => createRoom(a.url)),
  setupRooms: (a: RoomsSetup) => setupRooms(a),
  setupPairs: (a: { url: string; rooms: number; perClient: number }) => setupPairs(a),
  saturate: (a: Window & { window: number }) => saturate(a),
  latency: (a: Window & { rate: number }) => latency(a),
  ingest: (a: Window & { window: number }) => ingest(a),
  idle: (a: { kind: Kind; url: string; count: number; roomSize: number }) => idle(a),
  closeAll: () => closeAll(),
  bigRoom: (a: BigRoomArgs) => bigRoom(a),
  closeBigRoom: () => closeBigRoom(),
  setupPlaced: (a: { urls: string[]; first: number; count: number; members: number }) => setupPlaced(a),
  sendPlaced: (a: { perRoom: number }) => sendPlaced(a),
  closePlaced: () => closePlaced(),
});
