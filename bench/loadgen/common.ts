/** What the load generator's scenarios share: its clients, bounded concurrency, and the timed window. */
import { plainMessage, signedSends } from '../lib/payload.js';
import { connectSio, connectWs, joinTiny, type BenchClient, type Kind } from './clients.js';

export interface Sender {
  client: BenchClient;
  frames: string[];
  next: number;
}

/** Every client this process holds for the current scenario (closed by closeAll). */
export const held: { clients: BenchClient[] } = { clients: [] };

export async function createRoom(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/rooms`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /rooms answered ${res.status}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

/** Runs `count` async jobs with at most `limit` in flight. */
export async function pool<T>(count: number, limit: number, job: (i: number) => Promise<T>): Promise<T[]> {
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

/** One member of `room`: a tiny-chat room id, or a baseline server's room key ('' for its shared room). */
export function connectOne(kind: Kind, url: string, room: string, name: string): Promise<BenchClient> {
  if (kind === 'tiny') return joinTiny(url, room, name);
  return kind === 'ws' ? connectWs(url, room) : connectSio(url, room);
}

/** `count` frames for a sender, with ids `${prefix}-000000`, …: signed sends for tiny-chat, plain for the others. */
export function framesFor(s: BenchClient, prefix: string, count: number): string[] {
  if (s.kind === 'tiny')
    return signedSends({ privateKey: s.privateKey!, roomId: s.roomId, name: s.name }, prefix, count);
  const plain = Array.from({ length: count }, (_, i) => plainMessage(prefix, i));
  return s.kind === 'ws' ? plain : plain.map((p) => `42["m",${p}]`);
}

export interface Window {
  warmupMs: number;
  durationMs: number;
}

/** Opens the counting window after the warm-up and resolves with its exact length. */
export function timed(w: Window, start: () => void): Promise<{ elapsedMs: number }> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const t0 = performance.now();
      start();
      setTimeout(() => resolve({ elapsedMs: performance.now() - t0 }), w.durationMs);
    }, w.warmupMs);
  });
}

export function errors(): string[] {
  return held.clients.flatMap((c) => c.errors).slice(0, 5);
}

export async function settle(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}
