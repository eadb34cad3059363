/**
 * How the message list reads as a conversation: consecutive messages of one
 * person within a few minutes form a group (name and time shown once), and a
 * separator opens each day ("Today", "Yesterday", else a date in the page's
 * locale through Intl). Pure: it looks at server times (`at`) only, and never
 * drops or reorders a message.
 */
import type { Strings } from './strings.js';

/** Messages of one sender closer than this share a group. */
export const GROUP_WINDOW_MS = 5 * 60_000;

interface Timed {
  readonly name: string;
  readonly at: number;
}

export type Row<T> = { kind: 'day'; key: string; label: string } | { kind: 'item'; item: T; cont: boolean };

/** The page locale's formats: the short time shown, the full date-time for hover and screen readers, a day. */
export class TimeFormats {
  readonly time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  readonly full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
  readonly day = new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function dayLabel(ts: number, now: number, strings: Strings, formats: TimeFormats): string {
  const key = dayKey(ts);
  if (key === dayKey(now)) return strings.today;
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return strings.yesterday;
  return formats.day.format(ts);
}

/** The rows to show for `items` (in order): day separators, and each item marked when it continues a group. */
export function timeline<T>(
  items: readonly T[],
  timed: (item: T) => Timed,
  strings: Strings,
  formats: TimeFormats,
  now = Date.now(),
): Row<T>[] {
  const rows: Row<T>[] = [];
  let prev: Timed | undefined;
  let day: string | undefined;
  for (const item of items) {
    const m = timed(item);
    const key = dayKey(m.at);
    if (key !== day) {
      rows.push({ kind: 'day', key, label: dayLabel(m.at, now, strings, formats) });
      day = key;
      prev = undefined;
    }
    const cont = prev !== undefined && prev.name === m.name && m.at >= prev.at && m.at - prev.at <= GROUP_WINDOW_MS;
    rows.push({ kind: 'item', item, cont });
    prev = m;
  }
  return rows;
}
