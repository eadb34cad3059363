/**
 * User names: normalization, refusal of deceptive characters, and the
 * look-alike skeleton under which a name is pinned. Shared by the server
 * (which decides) and the widget (which checks a name before sending it, so
 * a user learns of a refused name at once and with the same rules).
 *
 * Two names with one skeleton count as one name, so "alice", "ALICE",
 * "аlice" (Cyrillic а) and "aIice" (capital i) cannot belong to different
 * keys in a room. The look-alikes come from Unicode's confusables.txt
 * (UTS #39), generated into protocol/confusables.ts; never add one by hand.
 */
import { MAX_NAME_LENGTH } from './limits.js';
import { CONFUSABLE_ROWS } from './confusables.js';
import { codePointLength } from './text.js';

export { MAX_NAME_LENGTH };

// Controls (TAB and line feed too: a name is one line, and white space in it
// means the space characters of Zs), format characters (bidi overrides and
// isolates, zero-width joiners, BOM, soft hyphen...), line/paragraph
// separators, private use, surrogates and unassigned code points.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}]/u;
// What renders as nothing: every default-ignorable code point (variation
// selectors, Hangul fillers, the combining grapheme joiner, tag characters...),
// which would otherwise be kept invisibly in the name, and the braille blank.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/u;
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

let prototypes: Map<string, string> | undefined;

// Built on first use: the server pays for it once, and a bundle that never
// calls skeleton() (the widget) drops the table.
function prototypeTable(): Map<string, string> {
  if (prototypes) return prototypes;
  const table = new Map<string, string>();
  const chars = (hex: string): string => String.fromCodePoint(...hex.split(' ').map((h) => parseInt(h, 16)));
  for (const row of CONFUSABLE_ROWS) {
    const [target = '', sources = ''] = row.split(':');
    const prototype = chars(target);
    for (const source of sources.split(',')) table.set(chars(source), prototype);
  }
  return (prototypes = table);
}

function toPrototypes(text: string): string {
  const table = prototypeTable();
  let out = '';
  for (const ch of text) out += table.get(ch) ?? ch;
  return out;
}

const stripMarks = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '');

/**
 * The look-alike key of a normalized name: the UTS #39 skeleton, also blind
 * to case, accents and spaces. Capitals are mapped before lower-casing (Greek
 * Η and Cherokee Ꮋ look like H, their lower-case forms do not), and again
 * after it for lower-case look-alikes. Folding case joins the class of `l`
 * (which holds `I`) with that of `i`, so `i` goes to `l` as well.
 */
export function skeleton(name: string): string {
  const upper = toPrototypes(stripMarks(name));
  const lower = stripMarks(toPrototypes(upper.toLowerCase()));
  return lower.replace(/i/g, 'l').replace(/ /g, '');
}
