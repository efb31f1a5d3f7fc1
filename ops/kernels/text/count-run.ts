/**
 * The general word-count path, decoding code point by code point. It takes what the ASCII
 * fast path hands over: words with non-ASCII bytes (and the words after them while those start
 * with non-ASCII bytes too), words whose insert would grow the table, counts at their slot
 * limit and the last few bytes of a block.
 */
import { ASCII_WORD, classifyLower } from './unicode.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';
import { finishLong, mixChunk, shortHash, WORD_MASKS } from './word-hash.js';
import type { WordTable } from './word-table.js';

let scratch = new Uint8Array(256);
let scratchView = new DataView(scratch.buffer);

/** classifyLower of every code point below U+0800, the ones UTF-8 writes in two bytes. */
const TWO_BYTE: Int32Array = (() => {
  const t = new Int32Array(0x800);
  for (let cp = 0; cp < 0x800; cp++) t[cp] = classifyLower(cp);
  return t;
})();

/**
 * Counts words from `i` on, code point by code point, and returns at the first word that
 * starts with an ASCII letter (its position) or at `end`. ASCII non-letters, valid non-letter
 * code points and every byte of an invalid UTF-8 sequence split words.
 * @example const next = countRun(table, bytes, 0, bytes.length);
 */
export function countRun(t: WordTable, src: Uint8Array, start: number, limit: number): number {
  // module-level tables in locals: V8 re-checks module bindings on every use
  const ascii = ASCII_WORD, two = TWO_BYTE, end = limit | 0;
  let buf = scratch, n = 0, i = start | 0;
  while (i < end) {
    // room for the next code point and for 4-byte reads of the last chunk
    if (n + 8 > buf.length) {
      const b = new Uint8Array(buf.length * 2);
      b.set(buf);
      buf = scratch = b;
      scratchView = new DataView(b.buffer);
    }
    const c = src[i];
    if (c < 0x80) {
      const w = ascii[c];
      if (w !== 0) {
        buf[n++] = w;
        i++;
        continue;
      }
      // a separator: go on here only while words start with non-ASCII bytes (text in other
      // scripts), so the fast path gets the next ASCII word without a round trip per word
      if (n > 0) { addScratch(t, n); n = 0; }
      let k = i + 1;
      while (k < end && src[k] < 0x80 && ascii[src[k]] === 0) k++;
      if (k === end || src[k] < 0x80) return k;
      i = k;
      continue;
    }
    let v: number, len: number;
    const c1 = i + 1 < end ? src[i + 1] : 0;
    if (c >= 0xc2 && c < 0xe0 && (c1 & 0xc0) === 0x80) {
      // two-byte sequences (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic ...): one lookup
      v = two[((c & 0x1f) << 6) | (c1 & 0x3f)];
      len = 2;
    } else {
      const r = decodeUtf8(src, i, end);
      v = r < 0 ? -1 : classifyLower(r >> 3);
      len = r < 0 ? 1 : r & 7;
    }
    i += len;
    if (v < 0) {
      if (n > 0) { addScratch(t, n); n = 0; }
    } else if (v < 0x800 && v >= 0x80) {
      buf[n] = 0xc0 | (v >> 6);
      buf[n + 1] = 0x80 | (v & 0x3f);
      n += 2;
    } else {
      n = encodeUtf8(v, buf, n);
    }
  }
  if (n > 0) addScratch(t, n);
  return i;
}

/**
 * Adds the word in scratch[0, n) (lowercased, no 0 bytes), computing the canonical key and
 * hash of word-hash.ts from 4-byte reads instead of byte by byte.
 */
function addScratch(t: WordTable, n: number): void {
  const view = scratchView;
  if (n < 8) {
    const k0 = view.getInt32(0) & WORD_MASKS[n], k1 = view.getInt32(4) & WORD_MASKS[9 + n];
    t.addKey(k0, k1, shortHash(k0, k1), scratch, 0, n, 1);
    return;
  }
  let h = 0, p = 0;
  for (; p + 4 <= n; p += 4) h = mixChunk(h, view.getInt32(p));
  if (p < n) h = mixChunk(h, view.getInt32(p) & WORD_MASKS[n - p]);
  h = finishLong(h, n);
  t.addKey(0, h, h, scratch, 0, n, 1);
}
