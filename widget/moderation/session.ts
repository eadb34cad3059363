/**
 * The moderation chunk's part of one room visit: who may act (Standing),
 * checking entries for the timeline, applying live actions (a removal turns
 * its message into a tombstone; promote, demote, lock and slow mode change
 * the room's staff state), and the owner's or a moderator's own actions:
 * signed, sent as `moderate` frames, answered by `ack` or `error` with the
 * frame's id. Nothing here is applied that did not check out.
 */
import type { ErrorFrame, Member } from '../../protocol/frames.js';
import type { ActionEntry, ModerationAction, RemovedEntry, RoomStaff } from '../../protocol/moderation.js';
import { moderationSigningBytes } from '../../protocol/moderation-bytes.js';
import type { Identity } from '../keys.js';
import type { Members } from '../members.js';
import { newMessageId } from '../outbox.js';
import type { RoomVisit } from '../room-visit.js';
import { sign } from '../signing.js';
import { checkEntry, Standing, trusted } from './check.js';
import type { ModerationStrings } from './strings.js';

export interface SessionContext {
  readonly visit: RoomVisit;
  readonly identity: Identity;
  readonly members: Members;
  readonly host: HTMLElement & { readonly updateComplete: Promise<boolean> };
  redraw(): void;
  /** Sends on the joined socket; false when not joined. */
  send(frame: object): boolean;
  /** The server's time now, as well as the widget knows it. */
  now(): number;
}

/** What an error from the server means to the person who acted. */
const REFUSALS: Record<string, keyof ModerationStrings> = {
  'not-moderator': 'modNotAllowed',
  forbidden: 'modForbidden',
  'moderation-target-missing': 'modTargetMissing',
};

/** How long a kick may last, as the member tools offer it: a cool-down, an hour, a day (the protocol's longest). */
export const KICKS_MS = [10 * 60_000, 60 * 60_000, 24 * 60 * 60_000] as const;

export class SessionState {
  readonly standing: Standing;
  /** The last refusal or problem, in the chunk's words (a string key), until dismissed or the next action. */
  problem: keyof ModerationStrings | undefined;
  readonly #pending = new Set<string>();
  #checked: Promise<unknown> = Promise.resolve();
  /** Names of keys seen as targets, kept after they leave the member list. */
  readonly #names = new Map<string, string>();

  constructor(readonly ctx: SessionContext) {
    this.standing = new Standing(() => ctx.visit.room);
  }

  get me(): string {
    return this.ctx.identity.pub;
  }

  get isOwner(): boolean {
    return this.standing.isOwner(this.me);
  }

  get isStaff(): boolean {
    return this.isOwner || this.standing.isModerator(this.me);
  }

  /** The name a key holds in the room, from the members listed or the entries shown. */
  nameOf(pub: string): string | undefined {
    const known = this.#names.get(pub);
    if (known) return known;
    const member = this.ctx.members.list.find((m: Member) => m.key.pub === pub);
    if (member) return member.name;
    return this.ctx.visit.timeline.messages.find((e) => e.message.key.pub === pub)?.message.name;
  }

  /**
   * Checks entries one after another, in the order met: a promotion counts for the actions after it only once it
   * checked out itself, so a forged promote cannot vouch for its target.
   */
  check(entry: ActionEntry | RemovedEntry, prev: string | Promise<string> | undefined): Promise<boolean> {
    // The target's name as listed now: a kicked or banned member leaves the list right after.
    const target = entry.kind === 'action' && 'target' in entry.action ? entry.action.target.pub : undefined;
    const name = target && this.nameOf(target);
    if (target && name) this.#names.set(target, name);
    const done = this.#checked.then(async () => {
      const ok = await checkEntry(this.ctx.visit.roomId, entry, prev, this.standing);
      if (ok && entry.kind === 'action' && entry.action.act === 'promote')
        this.standing.promoted(entry.action.target.pub);
      return ok;
    });
    // A failure (none expected: the checks catch their own) must not stop the checks after it.
    this.#checked = done.catch(() => false);
    return done;
  }

  /** A live action: applied once its signature and its actor's standing check out. */
  async live(entry: ActionEntry): Promise<void> {
    if (!(await trusted(this.ctx.visit.roomId, entry, this.standing))) return;
    const { visit } = this.ctx;
    // The welcome's room, ours to keep current (the main script only reads it).
    const room = visit.room;
    const set = (patch: Partial<RoomStaff>): unknown => room && Object.assign(room, patch);
    const a = entry.action;
    switch (a.act) {
      case 'remove':
        this.#tombstone(entry, a.seq, a.chain);
        break;
      case 'kick':
        // The end view can say when the rejoin is allowed (also when the server's close came first).
        if (a.target.pub === this.me) {
          visit.socket.stop();
          visit.ctx.closed('kicked', a.forMs);
        }
        break;
      case 'promote':
        if (room && !this.standing.isModerator(a.target.pub)) set({ moderators: [...room.moderators, a.target] });
        break;
      case 'demote':
        set({ moderators: room?.moderators.filter((k) => k.pub !== a.target.pub) ?? [] });
        break;
      case 'lock':
      case 'unlock':
        set({ locked: a.act === 'lock' });
        break;
      case 'slow':
        set({ slowModeMs: a.intervalMs });
        break;
    }
    this.ctx.redraw();
  }

  /** The message at `seq` with link `chain`, if shown, becomes what the server now holds: a tombstone. */
  #tombstone(action: ActionEntry, seq: number, chain: string): void {
    const shown = this.ctx.visit.timeline.messages.find((e) => e.message.seq === seq);
    const m = shown?.message;
    if (!shown || !m || 'kind' in m || m.chain !== chain) return;
    const removed: RemovedEntry = {
      kind: 'removed',
      seq,
      id: m.id,
      name: m.name,
      key: m.key,
      ts: m.ts,
      sig: m.sig,
      at: m.at,
      chain,
      removedBy: { seq: action.seq, name: action.name, key: action.key },
    };
    shown.message = removed;
  }

  /** Signs and sends one action; false (with the problem said) when not connected. */
  async act(action: ModerationAction): Promise<boolean> {
    const { visit, identity } = this.ctx;
    const roomId = visit.roomId;
    const id = newMessageId();
    const ts = this.ctx.now();
    const sig = await sign(identity, moderationSigningBytes({ roomId, id, ts, action }));
    this.#pending.add(id);
    this.problem = undefined;
    if (!this.ctx.send({ type: 'moderate', roomId, id, ts, action, sig })) {
      this.#pending.delete(id);
      this.problem = 'modOffline';
    }
    this.ctx.redraw();
    return this.problem === undefined;
  }

  /** An `ack` (no frame) or `error` answering one of this chunk's frames: true when it was one. */
  answered(id: string | undefined, error?: ErrorFrame): boolean {
    if (id === undefined || !this.#pending.delete(id)) return false;
    if (error) {
      this.problem = REFUSALS[error.code] ?? 'modFailed';
      this.ctx.redraw();
    }
    return true;
  }

  dismiss(): void {
    this.problem = undefined;
    this.ctx.redraw();
  }
}
