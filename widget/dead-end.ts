/**
 * A room that is gone for good: it never existed, it expired, or it was
 * closed while we were in it. The widget stops, says so in plain words and
 * offers a new room (the element draws that); everything queued for the gone
 * room is dropped, from IndexedDB too, and counted so the view can say how
 * many. Nothing typed for a gone room is ever kept.
 */
import type { Outbox } from './outbox.js';

// The last four: moderation (the moderation chunk draws them; a kick or a lock may end, see `until`).
const DEAD_ENDS = new Set([
  'room-not-found',
  'room-expired',
  'room-closed',
  'room-ended',
  'kicked',
  'banned',
  'room-locked',
]);

/** A room that is gone: why, and how many unsent messages went with it (undefined while counting). */
export interface DeadEnd {
  readonly code: string;
  dropped: number | undefined;
  /** For a kick: when this member may rejoin (Date.now() time), when known. */
  until?: number | undefined;
}

/** Whether `code` ends a room for good. */
export function isDeadEnd(code: string): boolean {
  return DEAD_ENDS.has(code);
}

/** Ends the room: drops its outbox and counts what went (`counted` runs once the count is in). */
export function deadEnd(code: string, outbox: Outbox, counted: () => void, until?: number): DeadEnd {
  const dead: DeadEnd = { code, dropped: undefined, until };
  void outbox.clear().then((count) => {
    dead.dropped = count;
    counted();
  });
  return dead;
}
