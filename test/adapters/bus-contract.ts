/**
 * The event bus contract as one test suite, run by every bus (local, Redis)
 * unchanged, as test/adapters/contract.ts is for storage. A bus only
 * broadcasts: every case is about who receives what, in which order.
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

export function busSuite(name: string, open: OpenBus): void {
  const test = suite<{ a: EventBus; b: EventBus; dispose: () => Promise<void> }>(`event bus contract: ${name}`);

  test.before.each(async (ctx) => {
    [ctx.a, ctx.b, ctx.dispose] = await open();
  });
  test.after.each(async (ctx) => {
    await ctx.dispose();
  });

  test('publishes room events to every subscriber in order', async ({ a }) => {
    const got1: [string, RoomEvent][] = [];
    const got2: [string, RoomEvent][] = [];
    const off1 = await a.subscribe((r, e) => got1.push([r, e]));
    const off2 = await a.subscribe((r, e) => got2.push([r, e]));
    const room = roomId();
    const events: RoomEvent[] = [
      { kind: 'presence', event: 'join', name: 'amy', key: key(1), memberCount: 1 },
      message(1),
      { kind: 'closed', reason: 'expired' },
    ];
    for (const e of events) await a.publish(room, e);
    await until(() => got1.length === 3 && got2.length === 3);
    assert.equal(
      got1,
      events.map((e) => [room, e]),
    );
    assert.equal(got2, got1);
    await off1();
    await a.publish(room, events[0]!);
    // The second subscriber's fourth event comes after the one the first no longer gets.
    await until(() => got2.length === 4);
    assert.is(got1.length, 3);
    await off2();
  });

  test("one instance's events reach the other's subscribers and its own, in publish order", async ({ a, b }) => {
    const onA: RoomEvent[] = [];
    const onB: RoomEvent[] = [];
    await a.subscribe((_r, e) => onA.push(e));
    await b.subscribe((_r, e) => onB.push(e));
    const room = roomId();
    const events = Array.from({ length: 50 }, (_, i) => message(i + 1));
    // Not awaited one by one: order must hold for publishes in flight together.
    await Promise.all(events.map((e) => a.publish(room, e)));
    await until(() => onA.length === 50 && onB.length === 50);
    assert.equal(onA, events);
    assert.equal(onB, events);
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
