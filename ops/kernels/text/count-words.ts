/**
 * The word-count kernel: lowercase, split on maximal runs of non-letters and count, straight
 * from UTF-8 bytes into a {@link WordTable}, with no JS string per word.
 *
 * Text is mostly short ASCII words, so the hot loop classifies 8 bytes at a time with SWAR
 * arithmetic on two big-endian 32-bit loads (`DataView.getInt32`): a byte continues a word
 * when it is an ASCII letter or >= 0x80, `Math.clz32` of the stop-byte mask gives the word's
 * length, the same bits give where the next word starts, and the loaded words, lowercased by
 * OR-ing 0x20, are the table key itself. A word of up to 7 letters costs two loads, some
 * integer arithmetic, a hash and two compares, with no branch on its length and no per-byte
 * loop (a byte loop mispredicts at every word end, which dominated a plain loop). Longer
 * words go on 4 bytes at a time in countLongAscii. New words are inserted in the loop while
 * no array of the table has to grow; everything else (non-ASCII bytes, growth, the last bytes
 * of the block) goes to countRun, and the loop takes over again after it.
 *
 * Invalid UTF-8: every byte of an invalid sequence is a separator (see utf8.ts).
 */
import { countRun } from './count-run.js';
import { ASCII_WORD } from './unicode.js';
import { GOLDEN } from './word-hash.js';
import { SLOT_BASE, SLOT_COUNT_LIMIT, type WordTable } from './word-table.js';

// scanAscii repeats these (and the hashes of word-hash.ts) as local constants and inline
// arithmetic: V8 reloads imported bindings and module-level consts from their context slots,
// with TDZ checks, on every use unless it specializes on the context, and calls through
// imported functions, while local constants fold into the instructions
if (SLOT_BASE !== 32 || SLOT_COUNT_LIMIT !== 0x3fffffff || GOLDEN !== (0x9e3779b1 | 0)) throw new Error('count-words: constants out of step with word-table / word-hash');

/**
 * Counts the words of bytes [start, end) of `src` into `t`. The range should hold whole lines
 * (a word cut by a range boundary counts as two pieces). `dv` is a view of exactly `src`,
 * for callers that count many ranges of one array.
 * @example const t = new WordTable(); countWords(t, new TextEncoder().encode('To be, or not to be'), 0, 19);
 */
export function countWords(t: WordTable, src: Uint8Array, start: number, end: number, dv = new DataView(src.buffer, src.byteOffset, src.byteLength)): void {
  let i = skipSeparators(src, start, end);
  while (i < end) {
    if (i + 8 <= end) {
      i = scanAscii(t, dv, i, end);
      if (i >= end) break;
    }
    i = skipSeparators(src, countRun(t, src, i, end), end);
  }
}

function skipSeparators(src: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = src[i];
    if (c >= 0x80 || ASCII_WORD[c] !== 0) break;
    i++;
  }
  return i;
}

/**
 * The ASCII fast path from `i`, a word start: counts (and inserts, while no array of the table
 * has to grow) the ASCII words it meets until one it leaves to countRun, and returns that
 * word's position (or a position within 8 bytes of `limit`).
 * @example const next = scanAscii(table, new DataView(bytes.buffer), 0, bytes.length);
 */
export function scanAscii(t: WordTable, dv: DataView, i: number, limit: number): number {
  // multipliers stay literals: as consts they exceed V8's small integers and go through doubles
  const BASE = 32, LIMIT = 0x3fffffff, HIGH = 0x80808080 | 0;
  const tab = t.tab, offsets = t.offsets, arena = t.arenaView;
  const end = limit | 0, shift = t.shift | 0, mask = ((tab.length - BASE) >> 2) - 1;
  // inserting in the loop is allowed while no array has to grow (the general path grows them)
  const maxSize = Math.min(offsets.length - 2, (mask + 1) >> 1), arenaEnd = arena.byteLength - 12;
  let size = t.size | 0;
  let p = i | 0;
  words: while (p + 8 <= end) {
    const v0 = dv.getInt32(p), v1 = dv.getInt32(p + 4);
    // per byte b < 0x80: x = b | 0x20 is a letter iff 0x61 <= x <= 0x7a; adding 0x1f / 0x05
    // sets bit 7 from x >= 0x61 / x >= 0x7b without carrying into the next byte
    const x0 = (v0 | 0x20202020) & 0x7f7f7f7f, x1 = (v1 | 0x20202020) & 0x7f7f7f7f;
    const c0 = ((((x0 + 0x1f1f1f1f) | 0) & ~((x0 + 0x05050505) | 0)) | v0) & HIGH;
    const c1 = ((((x1 + 0x1f1f1f1f) | 0) & ~((x1 + 0x05050505) | 0)) | v1) & HIGH;
    const n0 = Math.clz32(c0 ^ HIGH) >> 3;
    const len = n0 + (n0 >> 2) * (Math.clz32(c1 ^ HIGH) >> 3);
    let e: number;
    if (len < 8) {
      const m0 = tab[len], m1 = tab[9 + len];
      if ((((v0 & m0) | (v1 & m1)) & HIGH) !== 0) break;
      const k0 = x0 & m0, k1 = x1 & m1;
      const h = Math.imul(k0 ^ (k0 >>> 15) ^ Math.imul(k1 ^ (k1 >>> 15), 0x85ebca6b), 0x9e3779b1);
      let s = h >>> shift, j = BASE + (s << 2);
      for (;;) {
        if (tab[j] === k0 && tab[j + 1] === k1) {
          const count = tab[j + 2];
          if (count >= LIMIT) break words;
          tab[j + 2] = count + 1;
          break;
        }
        if (tab[j + 3] === 0) {
          const o = offsets[size];
          if (size >= maxSize || o > arenaEnd) break words;
          arena.setInt32(o, k0);
          arena.setInt32(o + 4, k1);
          offsets[size + 1] = o + len;
          tab[j] = k0; tab[j + 1] = k1; tab[j + 2] = 1; tab[j + 3] = ++size;
          break;
        }
        s = (s + 1) & mask;
        j = BASE + (s << 2);
      }
      const q0 = Math.clz32(c0 & ~m0) >> 3;
      const next = q0 + (q0 >> 2) * (Math.clz32(c1 & ~m1) >> 3);
      if (next < 8) { p += next; continue; }
      e = p + 8;
    } else {
      if (((v0 | v1) & HIGH) !== 0) break;
      t.size = size;
      e = countLongAscii(t, dv, p, end, x0, x1);
      if (e < 0) break;
      size = t.size;
    }
    // bytes from e on are separators until the next byte that continues a word
    for (;;) {
      if (e + 4 > end) break;
      const v = dv.getInt32(e);
      const x = (v | 0x20202020) & 0x7f7f7f7f;
      const c = ((((x + 0x1f1f1f1f) | 0) & ~((x + 0x05050505) | 0)) | v) & HIGH;
      if (c !== 0) { e += Math.clz32(c) >> 3; break; }
      e += 4;
    }
    p = e;
  }
  t.size = size;
  return p;
}

/**
 * A word of 8 or more ASCII letters at `p` (x0, x1: its first 8 bytes, lowercased): counts or
 * inserts it and returns where it ends, or -1 when it is not all ASCII, reaches within 4 bytes
 * of `end`, or an array of the table would have to grow. Kept out of scanAscii so the
 * short-word loop has the registers to itself.
 */
function countLongAscii(t: WordTable, dv: DataView, p: number, end: number, x0: number, x1: number): number {
  const BASE = 32, LIMIT = 0x3fffffff, HIGH = 0x80808080 | 0;
  const tab = t.tab, offsets = t.offsets, arena = t.arenaView, mask = ((tab.length - BASE) >> 2) - 1;
  // mixChunk and finishLong of word-hash.ts, inline
  let h = Math.imul(x0, 0x9e3779b1);
  h = Math.imul(((h << 13) | (h >>> 19)) ^ x1, 0x9e3779b1);
  let q = p + 8;
  for (;;) {
    if (q + 4 > end) return -1;
    const v = dv.getInt32(q);
    const x = (v | 0x20202020) & 0x7f7f7f7f;
    const c = ((((x + 0x1f1f1f1f) | 0) & ~((x + 0x05050505) | 0)) | v) & HIGH;
    const n = Math.clz32(c ^ HIGH) >> 3;
    const m = tab[n];
    if ((v & m & HIGH) !== 0) return -1;
    if (n < 4) {
      if (n > 0) h = Math.imul(((h << 13) | (h >>> 19)) ^ (x & m), 0x9e3779b1);
      q += n;
      break;
    }
    h = Math.imul(((h << 13) | (h >>> 19)) ^ x, 0x9e3779b1);
    q += 4;
  }
  const wlen = q - p;
  h = Math.imul(h ^ wlen ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0x9e3779b1);
  let s = h >>> t.shift, j = BASE + (s << 2);
  for (;;) {
    const id1 = tab[j + 3];
    if (id1 === 0) break;
    if (tab[j] === 0 && tab[j + 1] === h && sameLong(dv, p, wlen, arena, offsets, id1 - 1, tab)) {
      const count = tab[j + 2];
      if (count >= LIMIT) return -1;
      tab[j + 2] = count + 1;
      return q;
    }
    s = (s + 1) & mask;
    j = BASE + (s << 2);
  }
  const size = t.size, o = offsets[size];
  if (size >= Math.min(offsets.length - 2, (mask + 1) >> 1) || o + wlen > arena.byteLength - 12) return -1;
  // whole chunks: the bytes written past the word land in the arena's spare room
  for (let k = 0; k < wlen; k += 4) arena.setInt32(o + k, dv.getInt32(p + k) | 0x20202020);
  offsets[size + 1] = o + wlen;
  tab[j] = 0; tab[j + 1] = h; tab[j + 2] = 1; tab[j + 3] = size + 1;
  t.size = size + 1;
  return q;
}

/** Whether the ASCII word at `p` (wlen letters) equals entry `id` (lowercased in the arena). */
function sameLong(dv: DataView, p: number, wlen: number, arena: DataView, offsets: Int32Array, id: number, tab: Int32Array): boolean {
  const o = offsets[id];
  if (offsets[id + 1] - o !== wlen) return false;
  let k = 0;
  for (; k + 4 <= wlen; k += 4) if (arena.getInt32(o + k) !== (dv.getInt32(p + k) | 0x20202020)) return false;
  // the source chunk holds a separator after the word and the arena spare bytes: mask both
  return k === wlen || ((arena.getInt32(o + k) ^ (dv.getInt32(p + k) | 0x20202020)) & tab[wlen - k]) === 0;
}
