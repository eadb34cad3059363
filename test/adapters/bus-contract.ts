/**
 * The event bus contract as one test suite, run by every bus (local, Redis)
 * unchanged, as test/adapters/contract.ts is for storage. A bus only
 * broadcasts: every case is about who receives what, in which order, and
 * that a subscriber hears only the rooms it added.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventBus, RoomEvent } from '../../adapters/types.js';
import { key, roomId, T0 } from './contract-fixtures.js';

/**
 * Opens one fresh bus as two server instances hold it (the same object for
 * the local bus, two sets of connections for Redis); returns both handles and
 * the function that disposes of them.
 */
export type OpenBus = () => Promise<[EventBus, EventBus, () => Promise<void>]>;

const message = (seq: number): RoomEvent => ({
  kind: 'message',
  message: {
    seq,
    id: `m${seq}`,
    name: 'amy',
    ts: T0,
    text: `hi ${seq}`,
    sig: 's',
    key: key(1),
    at: T0,
    chain: `link-${seq}`,
  },
});

/** A stored kick, as the server publishes it so every instance closes the target's sockets. */
const action = (seq: number): RoomEvent => ({
  kind: 'action',
  entry: {
    kind: 'action',
    seq,
    id: `a${seq}`,
    name: 'mo',
    key: key(2),
    ts: T0,
    action: { act: 'kick', target: key(1), forMs: 60_000 },
    sig: 's',
    at: T0,
    chain: `link-${seq}`,
  },
});

export function busSuite(name: string, open: OpenBus): void {
  const test = suite<{ a: EventBus; b: EventBus; dispose: () => Promise<void> }>(`event bus contract: ${name}`);

  test.before.each(async (ctx) => {
    [ctx.a, ctx.b, ctx.dispose] = await open();
  });
  test.after.each(async (ctx) => {
    await ctx.dispose();
  });

  test('publishes room events to every subscriber of the room in order', async ({ a }) => {
    const got1: [string, RoomEvent][] = [];
    const got2: [string, RoomEvent][] = [];
    const room = roomId();
    const sub1 = await a.subscribe((r, e) => got1.push([r, e]));
    const sub2 = await a.subscribe((r, e) => got2.push([r, e]));
    await Promise.all([sub1.add(room), sub2.add(room)]);
    const events: RoomEvent[] = [
      { kind: 'presence', event: 'join', name: 'amy', key: key(1), memberCount: 1 },
      message(1),
      action(2),
      { kind: 'closed', reason: 'expired' },
    ];
    for (const e of events) await a.publish(room, e);
    await until(() => got1.length === 4 && got2.length === 4);
    assert.equal(
      got1,
      events.map((e) => [room, e]),
    );
    assert.equal(got2, got1);
    await sub1.close();
    await a.publish(room, events[0]!);
    // The second subscriber's fifth event comes after the one the first no longer gets.
    await until(() => got2.length === 5);
    assert.is(got1.length, 4);
    await sub2.close();
  });

  test("one instance's events reach the other's subscribers and its own, in publish order", async ({ a, b }) => {
    const onA: RoomEvent[] = [];
    const onB: RoomEvent[] = [];
    const room = roomId();
    await (await a.subscribe((_r, e) => onA.push(e))).add(room);
    await (await b.subscribe((_r, e) => onB.push(e))).add(room);
    const events = Array.from({ length: 50 }, (_, i) => message(i + 1));
    // Not awaited one by one: order must hold for publishes in flight together.
    await Promise.all(events.map((e) => a.publish(room, e)));
    await until(() => onA.length === 50 && onB.length === 50);
    assert.equal(onA, events);
    assert.equal(onB, events);
  });

  test('a subscriber hears only the rooms it added, from the moment add resolves until remove', async ({ a, b }) => {
    const heard: [string, number][] = [];
    const sub = await b.subscribe((r, e) => heard.push([r, e.kind === 'message' ? e.message.seq : 0]));
    const [mine, other, later] = [roomId(), roomId(), roomId()];
    await sub.add(mine);
    // Published from the other handle right after add resolved: it must arrive.
    await a.publish(other, message(1));
    await a.publish(mine, message(2));
    await until(() => heard.length === 1);
    await sub.remove(mine);
    await sub.remove(mine); // removing twice is harmless
    await a.publish(mine, message(3));
    await sub.add(later);
    await sub.add(later); // adding twice is one add
    await a.publish(later, message(4));
    // One publisher's events reach one subscriber in order on one Redis, so once 4 is heard 1 and 3
    // would have been too; the pause is for a cluster, where the rooms may sit on other shards.
    await until(() => heard.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(heard, [
      [mine, 2],
      [later, 4],
    ]);
    await sub.close();
  });

  test('a room two subscribers added is still heard by one after the other removes it', async ({ a, b }) => {
    const room = roomId();
    const got1: number[] = [];
    const got2: number[] = [];
    const seq = (e: RoomEvent): number => (e.kind === 'message' ? e.message.seq : 0);
    const sub1 = await b.subscribe((_r, e) => got1.push(seq(e)));
    const sub2 = await b.subscribe((_r, e) => got2.push(seq(e)));
    await Promise.all([sub1.add(room), sub2.add(room)]);
    await sub1.remove(room);
    await a.publish(room, message(1));
    await until(() => got2.length === 1);
    assert.equal(got1, []);
    await sub1.add(room);
    await a.publish(room, message(2));
    await until(() => got1.length === 1 && got2.length === 2);
    assert.equal(got1, [2]);
    assert.equal(got2, [1, 2]);
    await Promise.all([sub1.close(), sub2.close()]);
  });

  test('publishing on a closed bus rejects', async ({ a }) => {
    await a.close();
    let error: unknown;
    await a.publish(roomId(), message(1)).catch((err: unknown) => (error = err));
    assert.instance(error, Error);
  });

  test.run();
}

/** Waits for a condition that another connection makes true (pub/sub is asynchronous on some backends). */
export async function until(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}
