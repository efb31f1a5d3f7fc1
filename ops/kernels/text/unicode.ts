/**
 * Letter classification and lowercasing per code point, with DuckDB's semantics (tables in
 * unicode-data.ts, checked against DuckDB 1.5.6 for every code point):
 *
 * - `lower()` maps each code point on its own through utf8proc's simple (1:1) mapping. Where
 *   that differs from `String.prototype.toLowerCase` in Node 20:
 *   - 'Σ' is always 'σ'; JS writes 'ς' at the end of a word ('ΟΔΟΣ' -> 'οδοσ', JS 'οδος');
 *   - 'İ' (U+0130) is plain 'i'; JS writes 'i' + U+0307 (a combining dot, not a letter, so
 *     JS would split 'İstanbul' into 'i' and 'stanbul');
 *   - code points new in Unicode 16/17 (e.g. U+1C89, U+A7CB..U+A7DC, U+10D50..U+10D65,
 *     U+16EA0..U+16EB8) stay as they are; Node 20's ICU (Unicode 17) lowercases them.
 *   The same as JS: 'ß' stays 'ß' (no 'ss'), 'ẞ' -> 'ß', title case 'ǅ' -> 'ǆ', Kelvin sign
 *   -> 'k', 'ı' stays 'ı', 'I' -> 'i' (no Turkish rule), 'Ⅻ' -> 'ⅻ', 'Ⓐ' -> 'ⓐ', 'Ａ' -> 'ａ'.
 * - A letter is a code point RE2 puts in `\p{L}`: 136,104 code points, all of them letters
 *   for JS `/\p{L}/u` too; JS adds 9,568 more from Unicode 16/17 (e.g. U+088F, U+0C5C,
 *   U+A7CB, Egyptian hieroglyphs U+13460..U+143FA, CJK U+323B0..U+33479), which DuckDB and
 *   this module treat as separators. Lowercasing never turns a letter into a non-letter or
 *   back, so classifying before or after `lower()` is the same.
 *
 * Lookups go through 256-entry pages built on first touch, so a fresh worker pays only for the
 * pages its text uses (microseconds each) instead of a table over all 1.1M code points.
 */
import { LETTER_RANGES, LOWER_RUNS } from './unicode-data.js';

/**
 * For ASCII bytes: the lowercase byte of a letter, 0 for anything else (every byte >= 0x80
 * too, so one lookup both classifies and lowercases ASCII).
 * @example ASCII_WORD['Q'.charCodeAt(0)] === 'q'.charCodeAt(0); ASCII_WORD[0x20] === 0
 */
export const ASCII_WORD: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 65; c <= 90; c++) t[c] = c | 32;
  for (let c = 97; c <= 122; c++) t[c] = c;
  return t;
})();

function decode(s: string, width: number): Int32Array {
  const parts = s.split(',');
  const out = new Int32Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parseInt(parts[i], 36);
  if (out.length % width !== 0) throw new Error('corrupt Unicode table');
  return out;
}

/** Letter ranges as [start, end) pairs in absolute code points, sorted. */
const LETTERS: Int32Array = (() => {
  const t = decode(LETTER_RANGES, 2);
  let end = 0;
  for (let i = 0; i < t.length; i += 2) { const s = end + t[i]; end = s + t[i + 1]; t[i] = s; t[i + 1] = end; }
  return t;
})();

/** Lowercase runs as (start, count, delta, stride) with absolute starts, sorted and disjoint. */
const LOWERS: Int32Array = (() => {
  const t = decode(LOWER_RUNS, 4);
  let start = 0;
  for (let i = 0; i < t.length; i += 4) { start += t[i]; t[i] = start; }
  return t;
})();

const PAGE_COUNT = 0x110000 >> 8;
const PAGES: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(PAGE_COUNT).fill(undefined);

/** Index of the first letter range whose end lies after `cp`. */
function firstRangeAfter(cp: number): number {
  let lo = 0, hi = LETTERS.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (LETTERS[2 * mid + 1] <= cp) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function buildPage(p: number): Int32Array {
  const base = p << 8, top = base + 256;
  const page = new Int32Array(256);
  for (let k = 0; k < 256; k++) page[k] = ~(base + k);
  for (let r = firstRangeAfter(base); 2 * r < LETTERS.length && LETTERS[2 * r] < top; r++) {
    const s = Math.max(LETTERS[2 * r], base), e = Math.min(LETTERS[2 * r + 1], top);
    for (let cp = s; cp < e; cp++) page[cp - base] = cp;
  }
  for (let r = 0; r < LOWERS.length; r += 4) {
    const s = LOWERS[r], n = LOWERS[r + 1], d = LOWERS[r + 2], st = LOWERS[r + 3];
    if (s >= top || s + (n - 1) * st < base) continue;
    for (let j = 0; j < n; j++) {
      const cp = s + j * st;
      if (cp < base || cp >= top) continue;
      page[cp - base] = page[cp - base] >= 0 ? cp + d : ~(cp + d);
    }
  }
  PAGES[p] = page;
  return page;
}

/**
 * The lowercase of `cp` and whether it is a letter in one number: `v >= 0` means a letter whose
 * lowercase is `v`; `v < 0` means a non-letter whose lowercase is `~v`. `cp` must be a Unicode
 * scalar value (0..0x10FFFF). Lowercasing never turns a letter into a non-letter or back.
 * @example classifyLower(0x41) === 0x61; classifyLower(0x2160) === ~0x2170 // 'Ⅰ' -> 'ⅰ', not a letter
 */
export function classifyLower(cp: number): number {
  const page = PAGES[cp >> 8];
  return (page !== undefined ? page : buildPage(cp >> 8))[cp & 255];
}

/**
 * Whether `cp` is a letter (Unicode general category L, as DuckDB's RE2 sees it).
 * @example isLetter(0x3b1) === true; isLetter(0x1f600) === false // 'α', '😀'
 */
export function isLetter(cp: number): boolean {
  return classifyLower(cp) >= 0;
}

/**
 * The simple lowercase mapping of `cp` as DuckDB's `lower()` applies it.
 * @example lowerCodePoint(0x130) === 0x69 // 'İ' -> 'i'
 */
export function lowerCodePoint(cp: number): number {
  const v = classifyLower(cp);
  return v >= 0 ? v : ~v;
}
