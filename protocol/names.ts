/**
 * User names: normalization, refusal of deceptive characters, and the
 * look-alike skeleton under which a name is pinned. Shared by the server
 * (which decides) and the widget (which checks a name before sending it, so
 * a user learns of a refused name at once and with the same rules).
 *
 * Two names with one skeleton count as one name, so "alice", "ALICE",
 * "аlice" (Cyrillic а) and "aIice" (capital i) cannot belong to different
 * keys in a room. The confusable table covers the Latin look-alikes that
 * matter in practice (Cyrillic, Greek, digits, a few ligature-like pairs); it
 * is not all of Unicode TR39, and docs/security.md says so.
 */
import { MAX_NAME_LENGTH } from './limits.js';
import { codePointLength } from './text.js';

export { MAX_NAME_LENGTH };

// Controls, format characters (bidi overrides and isolates, zero-width
// joiners, BOM, soft hyphen...), line/paragraph separators, private use,
// surrogates and unassigned code points.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}]/u;
// Letters that render as nothing.
const INVISIBLE = /[\u115F\u1160\u3164\uFFA0\u2800\u180E]|\u034F/u;
// Stacked combining marks ("zalgo") that draw over neighbouring text.
const MARK_STACK = /\p{M}{4,}/u;

/** The normalized name, or undefined when the name must be refused. */
export function normalizeName(wished: string): string | undefined {
  const nfkc = wished.normalize('NFKC');
  // Checked before white space is folded: trim() would quietly drop a BOM.
  if (FORBIDDEN.test(nfkc) || INVISIBLE.test(nfkc) || MARK_STACK.test(nfkc.normalize('NFD'))) return undefined;
  const name = nfkc.replace(/\s+/gu, ' ').trim();
  if (name.length === 0 || codePointLength(name) > MAX_NAME_LENGTH) return undefined;
  return name;
}

// Capitals of other scripts that look like Latin capitals; mapped before lower-casing,
// because their lower-case forms no longer look alike.
const UPPER: Record<string, string> = {
  '|': 'l',
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  У: 'y',
  Х: 'x',
  Ѕ: 's',
  І: 'l',
  Ј: 'j',
  Ӏ: 'l',
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'l',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
};
const LOWER: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  һ: 'h',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'l',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ь: 'b',
  ɡ: 'g',
  ɑ: 'a',
  ı: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'l',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ω: 'w',
  '0': 'o',
  '1': 'l',
  i: 'l',
};

/** The look-alike key of a normalized name. */
export function skeleton(name: string): string {
  const bare = name.normalize('NFD').replace(/\p{M}/gu, '');
  let out = '';
  for (const ch of bare) out += UPPER[ch] ?? ch;
  out = out.toLowerCase();
  let mapped = '';
  for (const ch of out) mapped += LOWER[ch] ?? ch;
  return mapped.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/ /g, '');
}
