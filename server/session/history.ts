/**
 * A `history` page: the messages before a sequence number, for a client
 * scrolling back.
 *
 * Must never: return more than the history cap in one page.
 */
import type { HistoryFrame, HistoryPageFrame } from '../../protocol/frames.js';
import type { Context } from '../context.js';
import { historyFrame } from '../wire/build.js';
import { notLive } from './join.js';

export async function historyPage(ctx: Context, roomId: string, frame: HistoryFrame): Promise<HistoryPageFrame> {
  const { storage, clock, limits } = ctx.options;
  const limit = Math.min(frame.limit ?? limits.historyPage, limits.historyCap);
  const page = await storage.readMessages(roomId, { before: frame.before, limit }, clock.now());
  if (!('messages' in page)) throw notLive(page);
  return historyFrame(frame.before, page.messages, page.firstSeq);
}
