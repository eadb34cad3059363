/**
 * A `moderate` frame (protocol/moderation.ts): answered like a `send`. The
 * checks in order: the rate (as a message), the room, the time, the actor's
 * signature on the verify threads; then storage, which checks the actor's
 * standing in the same atomic step that stores the action; then the ack, and
 * the action to every instance (which deliver it in the room's order and
 * close a kicked or banned key's sockets). `end` is not stored: the owner's
 * signature ends the room as an operator's DELETE does.
 *
 * Must never: act on a frame whose signature did not verify against the
 * actor's joined key, or acknowledge an action before storage holds it.
 */
import type { ActionResult } from '../../adapters/types.js';
import { ChatError } from '../../protocol/errors.js';
import type { ServerFrame } from '../../protocol/frames.js';
import { moderationSigningBytes, sameKey, type ModerateFrame } from '../../protocol/moderation.js';
import type { Context } from '../context.js';
import { publishAction, publishClosed } from '../fanout/events.js';
import { ackFrame } from '../wire/build.js';
import { notLive } from './join.js';
import type { Sender } from './send.js';

export async function moderate(
  ctx: Context,
  from: Sender,
  frame: ModerateFrame,
  answer: (frame: ServerFrame) => void,
): Promise<void> {
  // An action costs what a message costs: a flood of refused ones is as cheap to refuse.
  await ctx.security.messages.take(from.rate, from.user);
  if (frame.roomId !== from.roomId) throw new ChatError('wrong-room');
  const { clock, limits, storage } = ctx.options;
  const now = clock.now();
  if (Math.abs(frame.ts - now) > limits.clockSkewMs) {
    throw new ChatError('clock-skew', undefined, { serverTime: now, clockSkewMs: limits.clockSkewMs });
  }
  const { id, ts, action, sig } = frame;
  const bytes = moderationSigningBytes({ roomId: from.roomId, id, ts, action });
  if (!(await ctx.verifier.verify(from.key.alg, from.key.pub, bytes, sig))) throw new ChatError('bad-signature');

  if (action.act === 'end') return endRoom(ctx, from, frame, answer);
  const result = await storage.appendAction(
    from.roomId,
    { id, name: from.name, key: from.key, ts, action, sig, at: now },
    { cap: limits.historyCap, now, dedupeWindowMs: ctx.dedupeWindowMs },
  );
  answerResult(frame.id, result, answer);
  if (result.status === 'stored') {
    // Stored and acknowledged: as for a message, a lost event costs latency only (readers fill gaps
    // from storage), but a kick or ban on another instance then waits for the target's next frame.
    await publishAction(ctx.options.bus, from.roomId, result.entry).catch(() => undefined);
  }
}

function answerResult(id: string, result: ActionResult, answer: (frame: ServerFrame) => void): void {
  switch (result.status) {
    case 'stored':
    case 'duplicate':
      return answer(ackFrame(id, result.entry.seq, result.entry.at, result.status === 'duplicate'));
    case 'conflict':
      throw new ChatError('replay');
    case 'forbidden':
      throw new ChatError('not-moderator');
    case 'no-target':
      throw new ChatError('moderation-target-missing');
    default:
      throw notLive(result);
  }
}

/** The owner ends the room: deleted now, every instance's members closed with `room-ended`. */
async function endRoom(
  ctx: Context,
  from: Sender,
  frame: ModerateFrame,
  answer: (frame: ServerFrame) => void,
): Promise<void> {
  const { storage, clock, bus } = ctx.options;
  const found = await storage.getRoom(from.roomId, clock.now());
  if (found.status !== 'live') throw notLive(found);
  const owner = found.room.staff.owner;
  if (owner === null || !sameKey(owner, from.key)) throw new ChatError('not-moderator');
  const ended = await storage.endRoom(from.roomId, clock.now());
  if (ended.status !== 'ended') throw notLive(ended);
  answer(ackFrame(frame.id, 0, clock.now(), false));
  await publishClosed(bus, from.roomId, 'ended');
}
