/** grouping.ts: which messages form one group, and where the day separators go, with their labels. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GROUP_WINDOW_MS, timeline, TimeFormats } from '../../widget/grouping.js';
import { DEFAULT_STRINGS } from '../../widget/strings.js';

const formats = new TimeFormats();
const noon = new Date(2026, 10, 26, 12, 0).getTime();
const MIN = 60_000;

function shape(items: { name: string; at: number }[], now = noon): string[] {
  return timeline(items, (m) => m, DEFAULT_STRINGS, formats, now).map((row) =>
    row.kind === 'day' ? `[${row.label}]` : `${row.item.name}${row.cont ? '+' : ''}`,
  );
}

test('one person within the window is one group; another person, a longer pause or a new day starts a new one', () => {
  const items = [
    { name: 'ann', at: noon - 30 * MIN },
    { name: 'ann', at: noon - 30 * MIN + GROUP_WINDOW_MS },
    { name: 'ann', at: noon - 30 * MIN + 2 * GROUP_WINDOW_MS + 1 },
    { name: 'ben', at: noon - 10 * MIN },
    { name: 'ann', at: noon - 9 * MIN },
    { name: 'ann', at: noon - 8 * MIN },
  ];
  assert.equal(shape(items), ['[Today]', 'ann', 'ann+', 'ann', 'ben', 'ann', 'ann+']);
});

test('day separators: Today, Yesterday, then a date in the locale; a group never spans midnight', () => {
  const midnight = new Date(2026, 10, 26).getTime();
  const threeDaysAgo = midnight - 3 * 86_400_000 + 9 * 3600_000;
  const items = [
    { name: 'ann', at: threeDaysAgo },
    { name: 'ann', at: midnight - MIN },
    { name: 'ann', at: midnight + MIN },
  ];
  assert.equal(shape(items), [`[${formats.day.format(threeDaysAgo)}]`, 'ann', '[Yesterday]', 'ann', '[Today]', 'ann']);
  assert.match(formats.day.format(threeDaysAgo), /2026/);
});

test('labels come from the strings, so a host can translate them', () => {
  const rows = timeline([{ name: 'a', at: noon }], (m) => m, { ...DEFAULT_STRINGS, today: 'Heute' }, formats, noon);
  assert.equal(rows[0], { kind: 'day', key: '2026-11-26', label: 'Heute' });
});

test.run();
