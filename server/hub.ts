/**
 * Fan-out to this process's sockets. Storage events (from this instance or
 * any other) come in through one subscription; each room with local members
 * has a RoomGroup that delivers messages strictly in sequence order, with no
 * gap and no duplicate, and keeps every member's view of the member list equal
 * to the group's.
 *
 * Must never: deliver message n+1 before n, deliver a message to a socket
 * that already holds it, or let one room's trouble touch another room.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { RoomEvent, RoomGoneReason, Storage } from '../adapters/types.js';
import { ERRORS } from '../protocol/errors.js';
import type { ChatMessage, ClosingFrame, Member, PresenceFrame, TypingNoticeFrame } from '../protocol/frames.js';
import type { Clock } from './config.js';
import { EncodedFrame } from './encoded-frame.js';

/** What the hub needs from a connection. */
export interface Peer {
  readonly connId: string;
  /** Highest sequence number this socket holds; only seq = lastSeq + 1 is sent next. */
  lastSeq: number;
  /** False while the join is in progress; messages are then held for the welcome. */
  welcomed: boolean;
  /** A string is one frame for this peer; an EncodedFrame is shared by every peer it goes to. */
  send(data: string | EncodedFrame): void;
  /** Sends a closing frame, then closes with the code. */
  closeWith(frame: ClosingFrame, closeCode: number): void;
  /** Adds this socket's presence back after storage lost it while the socket lived. */
  restorePresence(): Promise<void>;
}

interface Waiting {
  peer: Peer;
  held: ChatMessage[];
}

export interface HubOptions {
  storage: Storage;
  clock: Clock;
  log: FastifyBaseLogger;
  gapTimeoutMs: number;
  historyCap: number;
}

export class Hub {
  readonly #groups = new Map<string, RoomGroup>();
  readonly #opts: HubOptions;
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(opts: HubOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#opts.storage.subscribe((roomId, event) => this.#onEvent(roomId, event));
  }

  async stop(): Promise<void> {
    for (const g of this.#groups.values()) g.dispose();
    this.#groups.clear();
    await this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Adds a joining peer; it receives nothing until `welcome` is called for it. */
  attach(roomId: string, peer: Peer): RoomGroup {
    let g = this.#groups.get(roomId);
    if (!g) {
      const group = new RoomGroup(roomId, this.#opts, () => {
        // Only forget the group if it is still the room's current one.
        if (this.#groups.get(roomId) === group) this.#groups.delete(roomId);
      });
      this.#groups.set(roomId, group);
      g = group;
    }
    g.attach(peer);
    return g;
  }

  detach(roomId: string, peer: Peer): void {
    this.#groups.get(roomId)?.detach(peer);
  }

  /** Local peers of a room (welcomed or joining). */
  peers(roomId: string): Iterable<Peer> {
    return this.#groups.get(roomId)?.allPeers() ?? [];
  }

  rooms(): Iterable<[string, RoomGroup]> {
    return this.#groups.entries();
  }

  #onEvent(roomId: string, event: RoomEvent): void {
    const g = this.#groups.get(roomId);
    if (!g) return;
    switch (event.kind) {
      case 'message':
        g.offer(event.message);
        break;
      case 'presence':
        g.refreshMembers();
        break;
      case 'closed':
        g.close(event.reason);
        break;
      case 'typing':
        g.typing(event.name, event.connId);
        break;
    }
  }
}

export class RoomGroup {
  readonly roomId: string;
  readonly #opts: HubOptions;
  readonly #onEmpty: () => void;
  readonly #peers = new Set<Peer>();
  readonly #waiting = new Map<Peer, Waiting>();
  /** Next sequence number to deliver; unknown until the first welcome reads storage. */
  #nextSeq: number | undefined;
  readonly #pending = new Map<number, ChatMessage>();
  #gapTimer: NodeJS.Timeout | undefined;
  #filling = false;
  /** The member list every welcomed peer currently holds. */
  #view = new Map<string, Member>();
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;
  #disposed = false;

  constructor(roomId: string, opts: HubOptions, onEmpty: () => void) {
    this.roomId = roomId;
    this.#opts = opts;
    this.#onEmpty = onEmpty;
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
   * was sent. Call synchronously right after sending the welcome frame, so
   * nothing can slip in between.
   */
  welcome(peer: Peer, lastSeq: number): void {
    const w = this.#waiting.get(peer);
    if (!w || this.#disposed) return;
    this.#waiting.delete(peer);
    peer.lastSeq = lastSeq;
    peer.welcomed = true;
    this.#peers.add(peer);
    // Held messages may have arrived out of order before the group was anchored.
    w.held.sort((a, b) => a.seq - b.seq);
    for (const m of w.held) this.#deliverTo(peer, m, JSON.stringify({ type: 'message', ...m }));
    if (this.#nextSeq === undefined) {
      this.#nextSeq = peer.lastSeq + 1;
      this.#drain();
    } else if (peer.lastSeq + 1 < this.#nextSeq) {
      void this.#catchUp(peer);
    }
  }

  /** The member list as the peers hold it; call after `syncMembers` for a join. */
  members(): Member[] {
    return [...this.#view.values()];
  }

  /** Takes a message in any order; delivers it when every earlier one has been delivered. */
  offer(m: ChatMessage): void {
    if (this.#disposed) return;
    if (this.#nextSeq === undefined) {
      // Not anchored yet: every joining peer keeps it; its welcome sorts them out.
      for (const w of this.#waiting.values()) w.held.push(m);
      return;
    }
    if (m.seq < this.#nextSeq) return;
    this.#pending.set(m.seq, m);
    this.#drain();
  }

  /** Re-reads the member list and sends every welcomed peer the difference. */
  refreshMembers(): void {
    void this.syncMembers();
  }

  /**
   * Serialized: one refresh at a time, and one more if asked during it, so the
   * final view always reflects a read made after the last change.
   */
  async syncMembers(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#refreshAgain = false;
          await this.#readMembers();
        } while (this.#refreshAgain && !this.#disposed);
      } catch (err) {
        this.#opts.log.error({ err, roomId: this.roomId }, 'member list refresh failed');
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Tells every welcomed peer but the typing socket itself; nothing is kept. */
  typing(name: string, fromConnId: string): void {
    if (this.#disposed) return;
    const data = new EncodedFrame(JSON.stringify({ type: 'typing', name } satisfies TypingNoticeFrame));
    for (const p of this.#peers) if (p.connId !== fromConnId) p.send(data);
  }

  close(reason: RoomGoneReason): void {
    const frame: ClosingFrame = {
      type: 'closing',
      code: 'room-closed',
      reason,
      message: reason === 'idle' ? 'The room was deleted after being idle.' : 'The room reached its maximum lifetime.',
    };
    for (const p of [...this.allPeers()]) p.closeWith(frame, ERRORS['room-closed'].close);
    this.dispose();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#gapTimer);
    this.#pending.clear();
    this.#onEmpty();
  }

  async #readMembers(): Promise<void> {
    const list = await this.#opts.storage.listMembers(this.roomId, this.#opts.clock.now());
    if (this.#disposed) return;
    const next = new Map(list.map((m) => [m.name, { name: m.name, key: m.key }]));
    const frames: PresenceFrame[] = [];
    for (const [name, member] of this.#view) {
      if (!next.has(name)) frames.push({ type: 'presence', event: 'leave', member, memberCount: next.size });
    }
    for (const [name, member] of next) {
      const had = this.#view.get(name);
      if (!had || had.key.pub !== member.key.pub || had.key.alg !== member.key.alg) {
        frames.push({ type: 'presence', event: 'join', member, memberCount: next.size });
      }
    }
    this.#view = next;
    for (const f of frames) {
      const data = new EncodedFrame(JSON.stringify(f));
      for (const p of this.#peers) p.send(data);
    }
  }

  #drain(): void {
    if (this.#nextSeq === undefined) return;
    let m = this.#pending.get(this.#nextSeq);
    while (m) {
      this.#pending.delete(m.seq);
      this.#nextSeq = m.seq + 1;
      const data = new EncodedFrame(JSON.stringify({ type: 'message', ...m }));
      for (const p of this.#peers) this.#deliverTo(p, m, data);
      for (const w of this.#waiting.values()) w.held.push(m);
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

  #deliverTo(peer: Peer, m: ChatMessage, data: string | EncodedFrame): void {
    if (m.seq !== peer.lastSeq + 1) return;
    peer.lastSeq = m.seq;
    peer.send(data);
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
        if (!('messages' in page) || page.firstSeq > from + 1 || page.messages.length === 0) {
          this.#resync([peer]);
          return;
        }
        for (const m of page.messages) this.#deliverTo(peer, m, JSON.stringify({ type: 'message', ...m }));
      }
    } catch (err) {
      this.#opts.log.error({ err, roomId: this.roomId }, 'catch-up failed');
      this.#resync([peer]);
    }
  }

  /** Peers that cannot be made whole here reconnect and are told plainly that history is gone. */
  #resync(peers: Peer[]): void {
    const frame: ClosingFrame = {
      type: 'closing',
      code: 'resync-required',
      reason: 'resync',
      message: 'Messages were lost in transit; reconnect to resume.',
    };
    for (const p of peers) p.closeWith(frame, ERRORS['resync-required'].close);
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
