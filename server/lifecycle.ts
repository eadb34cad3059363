/**
 * The server's timers: WebSocket pings (dead sockets out within two ping
 * intervals), presence heartbeats (so other instances know this one lives),
 * and the sweep that deletes expired rooms and the presence of dead instances.
 *
 * Every instance sweeps; storage hands each expired room to exactly one of
 * them, which tells all instances through a 'closed' event.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Context } from './context.js';
import { publishClosed, publishLeave } from './fanout/events.js';
import { isOutage, within } from './storage-guard.js';
import { closing } from './wire/build.js';

export class Lifecycle {
  readonly #ctx: Context;
  readonly #log: FastifyBaseLogger;
  #timers: NodeJS.Timeout[] = [];
  #sweeping: Promise<void> | undefined;
  #draining = false;

  constructor(ctx: Context, log: FastifyBaseLogger) {
    this.#ctx = ctx;
    this.#log = log;
  }

  start(): void {
    const { pingIntervalMs, sweepIntervalMs } = this.#ctx.options.limits;
    this.#timers.push(setInterval(() => void this.heartbeat(), pingIntervalMs));
    this.#timers.push(setInterval(() => void this.sweep(), sweepIntervalMs));
    for (const t of this.#timers) t.unref();
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  /** True from the start of shutdown: /readyz then sends traffic elsewhere. */
  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Shutdown, while storage is still open: every socket gets `closing`
   * (1001) and leaves its room at once, its presence removed, so a restarted
   * server shows nobody who left. Waits for those leaves, but not past the
   * close grace plus the storage deadline (a stalled storage must not hold
   * the shutdown; its presence then expires).
   */
  async drain(): Promise<void> {
    this.#draining = true;
    const sockets = [...this.#ctx.connections];
    const shutdown = closing('server-shutdown', 'shutdown');
    for (const socket of sockets) socket.closeWith(shutdown);
    const bound = this.#ctx.security.config.closeGraceMs + this.#ctx.options.limits.storageTimeoutMs;
    await within(Promise.all(sockets.map((s) => s.finished)), bound).catch(() =>
      this.#log.warn({ sockets: sockets.length }, 'shutdown went on before every socket had left its room'),
    );
  }

  /** Pings every socket, drops those that missed the last pong, refreshes presence. */
  async heartbeat(): Promise<void> {
    for (const socket of this.#ctx.connections) socket.heartbeat();
    await this.refreshPresence();
  }

  /** Extends the storage presence of every local socket, so other instances know they live. */
  async refreshPresence(): Promise<void> {
    const { storage, clock } = this.#ctx.options;
    const now = clock.now();
    const refreshes: Promise<void>[] = [];
    for (const [roomId, group] of this.#ctx.hub.rooms()) {
      const peers = new Map([...group.allPeers()].map((p) => [p.connId, p]));
      refreshes.push(
        storage
          .refreshPresence(roomId, [...peers.keys()], now, this.#ctx.presenceTtlMs)
          // Entries swept while their socket lived (this process stalled past the TTL) come back.
          .then((missed) => Promise.all(missed.flatMap((id) => peers.get(id)?.restorePresence() ?? [])))
          .then(() => undefined),
      );
    }
    const results = await Promise.allSettled(refreshes);
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      // An outage is logged once by the storage guard, not once per room per heartbeat.
      if (isOutage(r.reason)) this.#log.debug('presence heartbeat skipped: storage unavailable');
      else this.#log.error({ err: r.reason }, 'presence heartbeat failed');
    }
  }

  /** Deletes expired rooms and dead presence; one sweep at a time. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  async #sweep(): Promise<void> {
    const { storage, bus, clock } = this.#ctx.options;
    try {
      const now = clock.now();
      for (const gone of await storage.expireRooms(now)) {
        this.#log.info({ roomId: gone.roomId, reason: gone.reason }, 'room deleted');
        await publishClosed(bus, gone.roomId, gone.reason);
      }
      for (const r of await storage.sweepPresence(now)) {
        if (r.last) await publishLeave(bus, r);
      }
    } catch (err) {
      if (isOutage(err)) this.#log.debug('sweep skipped: storage unavailable');
      else this.#log.error({ err }, 'sweep failed');
    }
  }
}
