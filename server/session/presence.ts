/**
 * A socket's presence in storage: added at join (and again when storage lost
 * it while the socket lived), removed at close. The first socket of a name
 * announces a join to every instance, its last a leave.
 *
 * Must never: announce a join or a leave that storage did not report.
 */
import type { PresenceEntry, PresenceResult } from '../../adapters/types.js';
import type { Context } from '../context.js';
import { publishJoin, publishLeave } from '../fanout/events.js';

/** Records the socket's presence, then announces the join if it is the name's first socket. */
export async function addPresence(ctx: Context, roomId: string, entry: PresenceEntry): Promise<PresenceResult> {
  const { storage, clock } = ctx.options;
  const presence = await storage.addPresence(roomId, entry, clock.now(), ctx.presenceTtlMs);
  if (presence.status === 'ok' && presence.first)
    await publishJoin(ctx.options.bus, roomId, entry, presence.memberCount);
  return presence;
}

export async function removePresence(ctx: Context, roomId: string, connId: string): Promise<void> {
  const { storage, clock } = ctx.options;
  const removed = await storage.removePresence(roomId, connId, clock.now());
  if (removed?.last) await publishLeave(ctx.options.bus, removed);
}
