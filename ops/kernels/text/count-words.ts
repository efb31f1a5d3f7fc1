/**
 * The word-count kernel: lowercase, split on maximal runs of non-letters, count, straight from
 * UTF-8 bytes into a {@link WordTable}, with no JS string per word.
 *
 * ASCII runs take the fast path: one table lookup per byte both classifies and lowercases it,
 * the FNV-1a hash is folded in while scanning, and a probe compares the candidate's arena bytes
 * with the lowercased source bytes, so a word already in the table is never copied. A word
 * that contains any byte >= 0x80 is rescanned from its start by {@link countWordAt}, which
 * decodes code points, lowercases them into a scratch buffer and hashes that (the same hash of
 * the same lowercased bytes, so 'İstanbul' and 'istanbul' meet in one entry).
 *
 * Invalid UTF-8: every byte of an invalid sequence is a separator (see utf8.ts).
 */
import { ASCII_WORD, classifyLower } from './unicode.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';
import { HASH_PRIME, HASH_SEED, type WordTable } from './word-table.js';

let scratch = new Uint8Array(1024);

/**
 * Counts the words of bytes [start, end) of `src` into `t`. The range should hold whole lines
 * (a word cut by a range boundary counts as two pieces).
 * @example const t = new WordTable(); countWords(t, new TextEncoder().encode('To be, or not to be'), 0, 19);
 */
export function countWords(t: WordTable, src: Uint8Array, start: number, end: number): void {
  const lut = ASCII_WORD;
  let slots = t.slots, shift = t.shift, mask = t.mask, offsets = t.offsets, arena = t.arena, counts = t.counts;
  let words = 0;
  let i = start;
  while (i < end) {
    let c = src[i];
    let w = lut[c];
    if (w === 0) {
      if (c < 0x80) { i++; continue; }
      const r = decodeUtf8(src, i, end);
      if (r < 0) { i++; continue; }
      if (classifyLower(r >> 3) < 0) { i += r & 7; continue; }
      i = countWordAt(t, src, i, end);
      words++;
      slots = t.slots; shift = t.shift; mask = t.mask; offsets = t.offsets; arena = t.arena; counts = t.counts;
      continue;
    }
    const s = i;
    let h = HASH_SEED;
    do {
      h = Math.imul(h ^ w, HASH_PRIME);
      if (++i === end) break;
      c = src[i];
      w = lut[c];
    } while (w !== 0);
    words++;
    if (c >= 0x80) {
      // the word goes on past ASCII (i < end here: at end, c is the last letter)
      i = countWordAt(t, src, s, end);
      slots = t.slots; shift = t.shift; mask = t.mask; offsets = t.offsets; arena = t.arena; counts = t.counts;
      continue;
    }
    const len = i - s;
    let slot = Math.imul(h, 0x9e3779b1) >>> shift;
    for (;;) {
      const id1 = slots[2 * slot + 1];
      if (id1 === 0) {
        const id = t.newEntry(slot, h, len);
        arena = t.arena;
        const o = t.offsets[id];
        for (let k = 0; k < len; k++) arena[o + k] = lut[src[s + k]];
        t.counts[id] = 1;
        slots = t.slots; shift = t.shift; mask = t.mask; offsets = t.offsets; counts = t.counts;
        break;
      }
      if (slots[2 * slot] === h) {
        const o = offsets[id1 - 1];
        if (offsets[id1] - o === len) {
          let k = 0;
          while (k < len && arena[o + k] === lut[src[s + k]]) k++;
          if (k === len) { counts[id1 - 1]++; break; }
        }
      }
      slot = (slot + 1) & mask;
    }
  }
  t.total += words;
}

/**
 * Counts the one word that starts at `s` (a letter, ASCII or not) through its last letter,
 * and returns the position after it.
 */
function countWordAt(t: WordTable, src: Uint8Array, s: number, end: number): number {
  const lut = ASCII_WORD;
  let buf = scratch, n = 0, i = s;
  while (i < end) {
    if (n + 4 > buf.length) { const b = new Uint8Array(buf.length * 2); b.set(buf); buf = scratch = b; }
    const c = src[i];
    if (c < 0x80) {
      const w = lut[c];
      if (w === 0) break;
      buf[n++] = w;
      i++;
      continue;
    }
    const r = decodeUtf8(src, i, end);
    if (r < 0) break;
    const v = classifyLower(r >> 3);
    if (v < 0) break;
    n = encodeUtf8(v, buf, n);
    i += r & 7;
  }
  let h = HASH_SEED;
  for (let k = 0; k < n; k++) h = Math.imul(h ^ buf[k], HASH_PRIME);
  t.add(buf, 0, n, h, 1);
  return i;
}
