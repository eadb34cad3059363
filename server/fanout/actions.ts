/**
 * What a moderation entry changes on this instance once its room group
 * delivers it (from the bus or a gap fill alike): slow mode for the sends
 * made here, and a kick or ban closes the target's sockets, joined or
 * joining, after the frame that tells them.
 *
 * Must never act on an entry before it is delivered in order: the room group
 * calls this from its in-order delivery only.
 */
import type { ChatMessage, Entry } from '../../protocol/frames.js';
import type { RoomRules } from '../session/slow-mode.js';
import { closing } from '../wire/build.js';
import type { Peer } from './peer.js';

export function applyAction(e: Exclude<Entry, ChatMessage>, rules: RoomRules, peers: Iterable<Peer>): void {
  if (e.kind !== 'action') return;
  const a = e.action;
  if (a.act === 'slow') rules.note(a.intervalMs, e.seq);
  if (a.act !== 'kick' && a.act !== 'ban') return;
  const c = a.act === 'kick' ? closing('kicked', 'kicked') : closing('banned', 'banned');
  // A copy: closing a peer may detach it from the group while the loop runs.
  for (const p of [...peers]) if (p.hasKey(a.target)) p.closeWith(c);
}
