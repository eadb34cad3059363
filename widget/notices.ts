/**
 * Quiet notices in the conversation: who joined, who left, whose key changed.
 * They exist only in this page (never sent, never stored) and sit in the
 * timeline where they happened. Joins and leaves that arrive together (with
 * no message between, within NOTICE_GROUP_MS) merge into one notice, so a
 * room filling up reads as one line, not twenty.
 */
import type { Strings } from './strings.js';

/** Joins and leaves closer than this, with no message between, share one notice. */
export const NOTICE_GROUP_MS = 30_000;

export interface Notice {
  readonly kind: 'notice';
  /** Unique in the page, for keyed rendering. */
  readonly id: string;
  /** Local time it happened (notices have no server time). */
  readonly at: number;
  readonly joined: string[];
  readonly left: string[];
  /** A member whose key differs from the one remembered for this room (see key-memory.ts). */
  readonly keyChanged?: string;
  /** The server's history changed under the client (chain-check.ts); how many shown messages it no longer holds. */
  readonly historyChanged?: number;
}

let ids = 0;

export function newNotice(fields: Partial<Pick<Notice, 'joined' | 'left' | 'keyChanged' | 'historyChanged'>>): Notice {
  return { kind: 'notice', id: `notice-${++ids}`, at: Date.now(), joined: [], left: [], ...fields };
}

/** Adds a join or leave to `last` when it can take it (a join/leave notice that is recent); false otherwise. */
export function mergePresence(last: Notice, event: 'join' | 'leave', name: string, now = Date.now()): boolean {
  if (last.keyChanged !== undefined || last.historyChanged !== undefined || now - last.at > NOTICE_GROUP_MS)
    return false;
  const [into, other] = event === 'join' ? [last.joined, last.left] : [last.left, last.joined];
  // Left and back (or the reverse) within the window: the two cancel out.
  const i = other.indexOf(name);
  if (i >= 0) other.splice(i, 1);
  else if (!into.includes(name)) into.push(name);
  return true;
}

function list(names: readonly string[], strings: Strings): string {
  if (names.length <= 2) return names.join(strings.noticeAnd);
  return strings.noticeCount.replace('{count}', String(names.length));
}

/** The notice in plain words, e.g. "ann and ben joined · cat left", "5 people joined", "Bob's key changed". */
export function noticeText(notice: Notice, strings: Strings): string {
  if (notice.keyChanged !== undefined) return strings.noticeKeyChanged.replace('{name}', notice.keyChanged);
  if (notice.historyChanged !== undefined) {
    const gone = notice.historyChanged;
    if (gone === 0) return strings.noticeHistoryChanged;
    const count = gone === 1 ? strings.noticeHistoryChangedOne : strings.noticeHistoryChangedMany;
    return `${strings.noticeHistoryChanged} ${count.replace('{count}', String(gone))}`;
  }
  const parts: string[] = [];
  if (notice.joined.length > 0) parts.push(strings.noticeJoined.replace('{names}', list(notice.joined, strings)));
  if (notice.left.length > 0) parts.push(strings.noticeLeft.replace('{names}', list(notice.left, strings)));
  return parts.join(' · ');
}
