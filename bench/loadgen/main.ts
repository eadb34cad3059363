/**
 * The load generator process. It connects the simulated users, signs every
 * message they will send before any timed window opens, then drives one
 * scenario at a time as the runner asks, and reports counts, never opinions.
 */
import { serve } from '../lib/serve.js';
import { deliveredId, plainMessage, signedSends } from '../lib/payload.js';
import { bigRoom, closeBigRoom, type BigRoomArgs } from './bigroom.js';
import { connectSio, connectWs, joinTiny, type BenchClient, type Kind } from './clients.js';
import { closePlaced, sendPlaced, setupPlaced } from './scaleout.js';

interface Sender {
  client: BenchClient;
  frames: string[];
  next: number;
}

let clients: BenchClient[] = [];
let senders: Sender[] = [];

async function createRoom(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/rooms`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /rooms answered ${res.status}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

/** Runs `count` async jobs with at most `limit` in flight. */
async function pool<T>(count: number, limit: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      out[i] = await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  return out;
}

function connectOne(kind: Kind, url: string, roomId: string, i: number): Promise<BenchClient> {
  if (kind === 'tiny') return joinTiny(url, roomId, `member-${i}`);
  return kind === 'ws' ? connectWs(url) : connectSio(url);
}

function framesFor(s: BenchClient, prefix: string, count: number): string[] {
  if (s.kind === 'tiny')
    return signedSends({ privateKey: s.privateKey!, roomId: s.roomId, name: s.name }, prefix, count);
  const plain = Array.from({ length: count }, (_, i) => plainMessage(prefix, i));
  return s.kind === 'ws' ? plain : plain.map((p) => `42["m",${p}]`);
}

interface RoomSetup {
  kind: Kind;
  url: string;
  members: number;
  senders: number;
  perSender: number;
}

/** One room: `members` users, the first `senders` of them with pre-built frames. */
async function setupRoom(a: RoomSetup): Promise<{ members: number; frames: number }> {
  const roomId = a.kind === 'tiny' ? await createRoom(a.url) : '';
  clients = await pool(a.members, 20, (i) => connectOne(a.kind, a.url, roomId, i));
  senders = clients
    .slice(0, a.senders)
    .map((client, i) => ({ client, frames: framesFor(client, `s${i}`, a.perSender), next: 0 }));
  // One message per sender through the whole path first, so that no window counts the server's start-up.
  await new Promise<void>((resolve) => {
    let seen = 0;
    clients[0]!.onDelivery = () => void (++seen === senders.length && resolve());
    for (const s of senders) s.client.ws.send(s.frames[s.next++]!);
  });
  return { members: clients.length, frames: senders.length * a.perSender };
}

/** Rooms of two: both members send. */
async function setupPairs(a: { url: string; rooms: number; perClient: number }): Promise<{ clients: number }> {
  const rooms = await pool(a.rooms, 20, () => createRoom(a.url));
  clients = await pool(a.rooms * 2, 20, (i) => joinTiny(a.url, rooms[i >> 1]!, `member-${i & 1}`));
  senders = clients.map((client, i) => ({ client, frames: framesFor(client, `c${i}`, a.perClient), next: 0 }));
  await Promise.all(
    senders.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.client.onAck = resolve;
          s.client.ws.send(s.frames[s.next++]!);
        }),
    ),
  );
  return { clients: clients.length };
}

interface Window {
  warmupMs: number;
  durationMs: number;
}

/** Opens the counting window after the warm-up and resolves with its exact length. */
function timed(w: Window, start: () => void): Promise<{ elapsedMs: number }> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const t0 = performance.now();
      start();
      setTimeout(() => resolve({ elapsedMs: performance.now() - t0 }), w.durationMs);
    }, w.warmupMs);
  });
}

function errors(): string[] {
  return clients.flatMap((c) => c.errors).slice(0, 5);
}

async function settle(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Closed loop: at most `window` messages in flight, counted as sent minus
 * delivered to one observing member; deliveries counted at every member.
 */
async function saturate(a: Window & { window: number }): Promise<Record<string, unknown>> {
  let counting = false;
  let stopped = false;
  let exhausted = false;
  let deliveries = 0;
  let sent = 0;
  let observed = 0;
  let turn = 0;
  const pump = (): void => {
    while (!stopped && sent - observed < a.window) {
      const s = senders[turn++ % senders.length]!;
      const frame = s.frames[s.next++];
      if (frame === undefined) {
        exhausted ||= counting;
        return;
      }
      s.client.ws.send(frame);
      sent++;
    }
  };
  for (const c of clients) c.onDelivery = () => void (counting && deliveries++);
  clients[0]!.onDelivery = () => {
    observed++;
    if (counting) deliveries++;
    pump();
  };
  pump();
  const { elapsedMs } = await timed(a, () => (counting = true));
  counting = false;
  stopped = true;
  await settle(() => observed >= sent);
  return { deliveries, elapsedMs, exhausted, errors: errors() };
}

/** Open loop at `rate` messages/s; latency from send to each delivery, in ms. */
async function latency(a: Window & { rate: number }): Promise<Record<string, unknown>> {
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
  for (const c of clients) c.onDelivery = onDelivery;
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
  const sorted = samples.subarray(0, n).sort();
  const pct = (p: number): number => sorted[Math.min(n - 1, Math.floor((p / 100) * n))] ?? NaN;
  return { samples: n, messages: sentAt.size, p50: pct(50), p99: pct(99), elapsedMs, exhausted, errors: errors() };
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
  clients = await pool(a.count, 100, (i) =>
    connectOne(a.kind, a.url, rooms[Math.floor(i / a.roomSize)] ?? '', i % a.roomSize),
  );
  return { connected: clients.filter((c) => c.ws.readyState === c.ws.OPEN).length };
}

async function closeAll(): Promise<void> {
  for (const c of clients) c.ws.terminate();
  clients = [];
  senders = [];
}

serve({
  setupRoom: (a: RoomSetup) => setupRoom(a),
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
