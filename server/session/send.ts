/**
 * A `send`: every check in the documented order, the signature's on the
 * verify threads, then storage, the ack, and the notice to every instance.
 *
 * Must never: acknowledge a message before storage holds it, or spend more
 * on a refused message than its rate check.
 */
import { messageSigningText } from '../../protocol/canonical.js';
import { ChatError } from '../../protocol/errors.js';
import type { PublicKey, SendFrame, ServerFrame } from '../../protocol/frames.js';
import { codePointLength, isWellFormed } from '../../protocol/text.js';
import type { AppendResult } from '../../adapters/types.js';
import type { Context } from '../context.js';
import { publishMessage } from '../fanout/events.js';
import type { TokenBucket } from './message-rate.js';
import type { RoomRules } from './slow-mode.js';
import { ackFrame } from '../wire/build.js';
import { notLive } from './join.js';

/** The joined socket a message comes from. */
export interface Sender {
  readonly roomId: string;
  readonly name: string;
  readonly key: PublicKey;
  /** Whose message budget it spends. */
  readonly user: string;
  readonly rate: TokenBucket;
  /** The room's slow mode as this instance knows it (its room group's). */
  readonly rules: RoomRules;
}

/** A send that passed every check: its receive time and signature. */
export interface CheckedSend {
  readonly now: number;
  readonly sig: string;
}

/** Every check of a send; throws the first refusal, or resolves once the signature verified. */
export function checkSend(ctx: Context, from: Sender, frame: SendFrame): Promise<CheckedSend> {
  // Before any other check: a refused message must cost the server as little as possible.
  const shared = ctx.security.messages.take(from.rate, from.user);
  // Slow mode off (the usual case): one comparison, nothing else on the message path.
  if (from.rules.slowModeMs > 0) return checkSlow(ctx, from, frame, shared);
  // A shared user bucket answers after a round trip: the other checks wait for it, so its refusal still comes first.
  return shared ? shared.then(() => checkRest(ctx, from, frame)) : checkRest(ctx, from, frame);
}

/** Slow mode on: after the rate, the member's turn (on the shared store when there is one), then the rest. */
async function checkSlow(
  ctx: Context,
  from: Sender,
  frame: SendFrame,
  shared: void | Promise<void>,
): Promise<CheckedSend> {
  await shared;
  await ctx.security.slow.take(from.roomId, from.user, from.rules.slowModeMs);
  return checkRest(ctx, from, frame);
}

/** The checks after the rate: the frame, the text, the time, then the signature on the verify threads. */
function checkRest(ctx: Context, from: Sender, frame: SendFrame): Promise<CheckedSend> {
  if (frame.sig === undefined) throw new ChatError('unsigned');
  if (frame.roomId !== from.roomId) throw new ChatError('wrong-room');
  const { clock, limits } = ctx.options;
  if (!isWellFormed(frame.text) || frame.text.trim().length === 0) throw new ChatError('text-invalid');
  const length = codePointLength(frame.text);
  if (length > limits.maxTextLength) {
    throw new ChatError('text-too-long', undefined, { maxTextLength: limits.maxTextLength, length });
  }
  const now = clock.now();
  if (Math.abs(frame.ts - now) > limits.clockSkewMs) {
    throw new ChatError('clock-skew', undefined, { serverTime: now, clockSkewMs: limits.clockSkewMs });
  }
  const { id, ts, text } = frame;
  const bytes = Buffer.from(messageSigningText({ roomId: from.roomId, name: from.name, id, ts, text }), 'utf8');
  const sig = frame.sig;
  return ctx.verifier.verify(from.key.alg, from.key.pub, bytes, sig).then((ok) => {
    if (!ok) throw new ChatError('bad-signature');
    return { now, sig };
  });
}

/**
 * Starts storing a checked message. The append is issued before this
 * returns, so a socket's appends reach storage in the order it sent them,
 * and each adapter keeps that order per room.
 */
export function storeSend(
  ctx: Context,
  from: Sender,
  frame: SendFrame,
  { now, sig }: CheckedSend,
): Promise<AppendResult> {
  const { storage, limits } = ctx.options;
  return storage.appendMessage(
    from.roomId,
    { id: frame.id, name: from.name, ts: frame.ts, text: frame.text, sig, key: from.key, at: now },
    { cap: limits.historyCap, now, dedupeWindowMs: ctx.dedupeWindowMs },
  );
}

/** Answers a stored send with its ack, then tells every instance; throws the refusal for any other outcome. */
export function answerSend(
  ctx: Context,
  from: Sender,
  frame: SendFrame,
  result: AppendResult,
  answer: (frame: ServerFrame) => void,
): void {
  switch (result.status) {
    case 'stored':
      ctx.metrics?.acks.inc({ duplicate: 'false' });
      answer(ackFrame(frame.id, result.message.seq, result.message.at, false));
      // Stored and acknowledged: a lost event (the bus reconnecting) costs only latency, since readers fill
      // gaps from storage, and the bus's connection reports its own outage. Not awaited: the publishes of
      // one socket are issued in ack order on one connection, and the next ack need not wait for the bus.
      publishMessage(ctx.options.bus, from.roomId, result.message).catch(() => undefined);
      return;
    case 'duplicate':
      ctx.metrics?.acks.inc({ duplicate: 'true' });
      answer(ackFrame(frame.id, result.message.seq, result.message.at, true));
      return;
    case 'conflict':
      throw new ChatError('replay');
    default:
      throw notLive(result);
  }
}
