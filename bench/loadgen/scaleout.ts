/**
 * The load generator's side of the `scaleout` scenario: rooms placed each on
 * one of several instances (room r on instance r mod n), all its members
 * there; then one message per room, counted until every member has it.
 */
import { signedSends } from '../lib/payload.js';
import { joinTiny, type BenchClient } from './clients.js';

let rooms: BenchClient[][] = [];

async function createRoom(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/rooms`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /rooms answered ${res.status}`);
  return ((await res.json()) as { roomId: string }).roomId;
}

/**
 * Joins `members` users to each of rooms `first` to `first + count - 1`, 32
 * joins in flight at once (the runner asks in batches, each well inside its
 * request timeout).
 */
export async function setupPlaced(a: {
  urls: string[];
  first: number;
  count: number;
  members: number;
}): Promise<{ sockets: number }> {
  const lanes = 32;
  let next = a.first;
  const end = a.first + a.count;
  const lane = async (): Promise<void> => {
    while (next < end) {
      const r = next++;
      const url = a.urls[r % a.urls.length]!;
      const roomId = await createRoom(url);
      const members: BenchClient[] = [];
      for (let i = 0; i < a.members; i++) members.push(await joinTiny(url, roomId, `member-${i}`));
      rooms[r] = members;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { sockets: rooms.reduce((n, m) => n + m.length, 0) };
}

/** The first member of every room sends `perRoom` messages; resolves when every member holds them all. */
export async function sendPlaced(a: {
  perRoom: number;
}): Promise<{ messages: number; deliveries: number; seconds: number; errors: string[] }> {
  const frames = rooms.map((m, r) =>
    signedSends({ privateKey: m[0]!.privateKey!, roomId: m[0]!.roomId, name: m[0]!.name }, `r${r}`, a.perRoom),
  );
  const expected = rooms.reduce((n, m) => n + m.length * a.perRoom, 0);
  let delivered = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    for (const members of rooms)
      for (const c of members) c.onDelivery = () => void (++delivered === expected && resolve());
    for (const [r, members] of rooms.entries()) for (const f of frames[r]!) members[0]!.ws.send(f);
  });
  const errors = rooms.flatMap((m) => m.flatMap((c) => c.errors));
  return {
    messages: rooms.length * a.perRoom,
    deliveries: delivered,
    seconds: (performance.now() - t0) / 1000,
    errors,
  };
}

export function closePlaced(): void {
  for (const m of rooms) for (const c of m) c.ws.close();
  rooms = [];
}
