/**
 * One room's fan-out on this instance: delivers messages to its sockets
 * strictly in sequence order, with no gap and no duplicate, holds them for
 * sockets still joining, reads what went missing from storage, and forwards
 * typing notices. The member list is the MemberView's.
 *
 * Must never: deliver message n+1 before n, deliver a message to a socket
 * that already holds it, or let one room's trouble touch another room.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus, RoomGoneReason, Storage } from '../../adapters/types.js';
import { isMessage, type Entry, type Member } from '../../protocol/frames.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../metrics.js';
import { closing, encode, messageFrame, moderationFrame, roomGone, typingFrame } from '../wire/build.js';
import { EncodedFrame } from '../wire/encoded-frame.js';
import { applyAction } from './actions.js';
import { ChainWatch } from './chain-watch.js';
import { MemberView, type MemberPage } from './member-view.js';
import type { Peer } from './peer.js';
import { RoomRules } from '../session/slow-mode.js';

interface Waiting {
  peer: Peer;
  held: Entry[];
}

export interface RoomGroupOptions {
  storage: Storage;
  /** Carries room events between instances; the hub subscribes to it. */
  bus: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  gapTimeoutMs: number;
  historyCap: number;
  /** Presence changes are gathered this long into one frame (the `presenceTickMs` option). */
  presenceTickMs: number;
  /** Undefined unless the `metrics` option is on. */
  metrics: Metrics | undefined;
}

/**
 * One encoding of an entry's frame, for one peer or for many. A tombstone has
 * none: a message removed before it was delivered is skipped (its seq still
 * counts), and the `remove` action after it names it.
 */
const messageText = (m: Entry): string | undefined =>
  isMessage(m) ? encode(messageFrame(m)) : m.kind === 'action' ? encode(moderationFrame(m)) : undefined;

export class RoomGroup {
  readonly roomId: string;
  readonly #opts: RoomGroupOptions;
  readonly #onEmpty: () => void;
  readonly #peers = new Set<Peer>();
  readonly #waiting = new Map<Peer, Waiting>();
  /** Next sequence number to deliver; unknown until the first welcome reads storage. */
  #nextSeq: number | undefined;
  readonly #pending = new Map<number, Entry>();
  #gapTimer: NodeJS.Timeout | undefined;
  #filling = false;
  readonly #members: MemberView;
  /** The room's slow mode as heard here: a send on this instance checks it. */
  readonly rules = new RoomRules();
  /** The links delivered so far, to see storage going back (./chain-watch.ts). */
  readonly #chain = new ChainWatch();
  #disposed = false;

  constructor(roomId: string, opts: RoomGroupOptions, onEmpty: () => void) {
    this.roomId = roomId;
    this.#opts = opts;
    this.#onEmpty = onEmpty;
    this.#members = new MemberView({
      roomId,
      storage: opts.storage,
      clock: opts.clock,
      log: opts.log,
      tickMs: opts.presenceTickMs,
      broadcast: (changes, count) => {
        for (const p of this.#peers) {
          const data = p.followsMembers ? changes : count;
          if (data) p.send(data);
        }
      },
    });
  }

  attach(peer: Peer): void {
    this.#waiting.set(peer, { peer, held: [] });
  }

  detach(peer: Peer): void {
    this.#peers.delete(peer);
    this.#waiting.delete(peer);
    if (this.#peers.size === 0 && this.#waiting.size === 0) this.dispose();
  }

  *allPeers(): Iterable<Peer> {
    yield* this.#peers;
    for (const w of this.#waiting.values()) yield w.peer;
  }

  /**
   * Completes a join: `lastSeq` is the last message in the snapshot the peer
   * was sent, and `lastChain` its link when the snapshot holds it. Call
   * synchronously right after sending the welcome frame, so nothing can slip
   * in between.
   */
  welcome(peer: Peer, lastSeq: number, lastChain?: string): void {
    const w = this.#waiting.get(peer);
    if (!w || this.#disposed) return;
    this.#waiting.delete(peer);
    peer.lastSeq = lastSeq;
    peer.welcomed = true;
    this.#peers.add(peer);
    // Held messages may have arrived out of order before the group was anchored.
    w.held.sort((a, b) => a.seq - b.seq);
    for (const m of w.held) this.#deliverTo(peer, m, messageText(m));
    if (this.#nextSeq === undefined) {
      this.#nextSeq = peer.lastSeq + 1;
      const top = peer.lastSeq === lastSeq ? lastChain : w.held.find((m) => m.seq === peer.lastSeq)?.chain;
      this.#chain.anchor(peer.lastSeq, top);
      this.#drain();
    } else if (peer.lastSeq + 1 < this.#nextSeq) {
      void this.#catchUp(peer);
    }
  }

  /** A page of the member list as the peers hold it, in name order, `self` in it when given; see MemberView.page. */
  memberPage(after: string | undefined, limit: number, self?: Member): MemberPage {
    return this.#members.page(after, limit, self);
  }

  /** Storage's member list changed: the difference goes to every welcomed peer at the next presence tick. */
  membersChanged(): void {
    this.#members.changed();
  }

  /** Resolves once the member list has been read; a welcome waits for it. */
  membersReady(): Promise<void> {
    return this.#members.ready();
  }

  /** Takes an entry in any order; delivers it when every earlier one has been delivered. */
  offer(m: Entry): void {
    if (this.#disposed) return;
    if (this.#nextSeq === undefined) {
      // Not anchored yet: every joining peer keeps it; its welcome sorts them out.
      for (const w of this.#waiting.values()) w.held.push(m);
      if ('kind' in m) applyAction(m, this.rules, this.allPeers());
      return;
    }
    if (m.seq < this.#nextSeq) {
      if (this.#chain.rewrites(m)) this.#rolledBack(m.seq);
      return;
    }
    this.#pending.set(m.seq, m);
    this.#drain();
  }

  /** Tells every welcomed peer but the typing socket itself; nothing is kept. */
  typing(name: string, fromConnId: string): void {
    if (this.#disposed) return;
    const data = new EncodedFrame(encode(typingFrame(name)));
    for (const p of this.#peers) if (p.connId !== fromConnId) p.send(data);
  }

  close(reason: RoomGoneReason): void {
    const c = roomGone(reason);
    for (const p of [...this.allPeers()]) p.closeWith(c);
    this.dispose();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#gapTimer);
    this.#pending.clear();
    this.#members.dispose();
    this.#onEmpty();
  }

  #drain(): void {
    if (this.#nextSeq === undefined) return;
    let m = this.#pending.get(this.#nextSeq);
    while (m) {
      if (!this.#chain.extends(m)) return this.#rolledBack(m.seq);
      this.#chain.delivered(m);
      this.#pending.delete(m.seq);
      this.#nextSeq = m.seq + 1;
      const text = messageText(m);
      const data = text === undefined ? undefined : new EncodedFrame(text);
      for (const p of this.#peers) this.#deliverTo(p, m, data);
      for (const w of this.#waiting.values()) w.held.push(m);
      if ('kind' in m) applyAction(m, this.rules, this.allPeers());
      m = this.#pending.get(this.#nextSeq);
    }
    for (const seq of this.#pending.keys()) if (seq < this.#nextSeq) this.#pending.delete(seq);
    clearTimeout(this.#gapTimer);
    this.#gapTimer = undefined;
    if (this.#pending.size > 0) {
      this.#gapTimer = setTimeout(() => void this.#fillGap(), this.#opts.gapTimeoutMs);
      this.#gapTimer.unref();
    }
  }

  #deliverTo(peer: Peer, m: Entry, data: string | EncodedFrame | undefined): void {
    if (m.seq !== peer.lastSeq + 1) return;
    peer.lastSeq = m.seq;
    if (data !== undefined) peer.send(data);
  }

  /**
   * A peer whose snapshot ended before what the group has already delivered
   * reads the difference from storage, again until it has caught up (the
   * group may move on while it reads).
   */
  async #catchUp(peer: Peer): Promise<void> {
    try {
      while (
        !this.#disposed &&
        this.#peers.has(peer) &&
        this.#nextSeq !== undefined &&
        peer.lastSeq + 1 < this.#nextSeq
      ) {
        const from = peer.lastSeq;
        const page = await this.#opts.storage.readMessages(
          this.roomId,
          { after: from, limit: this.#opts.historyCap },
          this.#opts.clock.now(),
        );
        // This group delivered up to nextSeq - 1, each message after storage held it.
        if ('messages' in page && page.lastSeq < this.#nextSeq - 1) return this.#rolledBack(page.lastSeq + 1);
        if (!('messages' in page) || page.firstSeq > from + 1 || page.messages.length === 0) {
          this.#resync([peer]);
          return;
        }
        for (const m of page.messages) {
          if (this.#chain.rewrites(m)) return this.#rolledBack(m.seq);
          this.#deliverTo(peer, m, messageText(m));
        }
      }
    } catch (err) {
      this.#opts.log.error({ err, roomId: this.roomId }, 'catch-up failed');
      this.#resync([peer]);
    }
  }

  /**
   * Storage answered with a message (at `seq`) that contradicts what this
   * group already delivered, or holds less than it delivered: it went back to
   * an older state. Every socket of the room here is told, and rejoins with
   * its last seq and link to learn what changed.
   */
  #rolledBack(seq: number): void {
    this.#opts.log.error(
      { roomId: this.roomId, seq, delivered: this.#nextSeq! - 1 },
      'storage went back to an older state: it contradicts what was delivered; closing the room here',
    );
    this.#opts.metrics?.rollbacks.inc();
    const c = closing('history-rolled-back', 'rollback');
    for (const p of [...this.allPeers()]) p.closeWith(c);
    this.dispose();
  }

  /** Peers that cannot be made whole here reconnect and are told plainly that history is gone. */
  #resync(peers: Peer[]): void {
    const c = closing('resync-required', 'resync');
    for (const p of peers) p.closeWith(c);
  }

  /** A message is missing (another instance's publish is late or lost): read it from storage. */
  async #fillGap(): Promise<void> {
    if (this.#filling || this.#disposed || this.#nextSeq === undefined) return;
    this.#filling = true;
    try {
      const from = this.#nextSeq;
      const page = await this.#opts.storage.readMessages(
        this.roomId,
        { after: from - 1, limit: this.#opts.historyCap },
        this.#opts.clock.now(),
      );
      if (this.#disposed || !('messages' in page)) return;
      if (page.firstSeq > from) {
        this.#opts.log.warn({ roomId: this.roomId, from, firstSeq: page.firstSeq }, 'gap not fillable; resyncing');
        this.#resync([...this.allPeers()]);
        this.dispose();
        return;
      }
      for (const m of page.messages) if (m.seq >= from) this.#pending.set(m.seq, m);
    } catch (err) {
      this.#opts.log.error({ err, roomId: this.roomId }, 'gap fill failed');
    } finally {
      this.#filling = false;
    }
    this.#drain();
  }
}
