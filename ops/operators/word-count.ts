/**
 * The fused word-count step of a pipeline: lowercase, split on runs of non-letters and count
 * per word, straight from UTF-8 bytes. Its output is a partial hash aggregate of count(*)
 * keyed by the word (`#k0`, `#0.n`), so the coordinator combines and finalizes it like any
 * other aggregate.
 */
import type { Batch, Column } from '../../core/types.js';
import { isLetter, WordCounter } from '../kernels/text/index.js';

/** Partial counts of a WordCounter in the layout of HashAggregator.toPartial() for count(*). */
export function countsPartial(counter: WordCounter, extraEmpty = 0): Batch {
  const { words, counts } = counter.toColumns();
  if (extraEmpty === 0) return { length: words.length, columns: { '#k0': words, '#0.n': { type: 'int64', length: counts.length, values: counts, nullCount: 0 } } };
  // '' (from lines that start or end with a separator) joins as one more group
  const n = words.length + 1;
  const offsets = new Int32Array(n + 1);
  offsets.set(words.offsets!);
  offsets[n] = offsets[n - 1];
  const c = new Float64Array(n);
  c.set(counts);
  c[n - 1] = extraEmpty;
  return {
    length: n,
    columns: {
      '#k0': { type: 'utf8', length: n, values: words.values, offsets, nullCount: 0 },
      '#0.n': { type: 'int64', length: n, values: c, nullCount: 0 },
    },
  };
}

/**
 * Counts the words of every non-null value of a utf8 column (each value is split on its own).
 * With `dropEmpty` false, the empty pieces `String.split` would give are counted as the word
 * '' (one for an empty value, one for a leading and one for a trailing separator run).
 * @example const partial = wordCountColumn(batch.columns.line, true);
 */
export function wordCountColumn(col: Column, dropEmpty: boolean): Batch {
  const counter = new WordCounter();
  const n = col.length, off = col.offsets!, bytes = col.values as Uint8Array, valid = col.valid;
  let empty = 0;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const s = off[i], e = off[i + 1];
    counter.countBlock(bytes, s, e);
    if (!dropEmpty) empty += emptyPieces(bytes, s, e);
  }
  return countsPartial(counter, empty);
}

/** Counts the words of a block of whole text lines (a text source's raw bytes). */
export function wordCountBlock(bytes: Uint8Array): Batch {
  const counter = new WordCounter();
  counter.countBlock(bytes, 0, bytes.length);
  return countsPartial(counter);
}

/** Empty pieces `split(/[^\p{L}]+/u)` yields for one value. */
function emptyPieces(b: Uint8Array, s: number, e: number): number {
  if (s === e) return 1;
  return (isLetterAt(b, s) ? 0 : 1) + (isLetterAt(b, lastCharStart(b, s, e)) ? 0 : 1);
}

function lastCharStart(b: Uint8Array, s: number, e: number): number {
  let i = e - 1;
  while (i > s && (b[i] & 0xc0) === 0x80) i--;
  return i;
}

function isLetterAt(b: Uint8Array, i: number): boolean {
  const c = b[i];
  if (c < 0x80) return (c | 32) >= 97 && (c | 32) <= 122;
  const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
  let cp = c & (len === 2 ? 0x1f : len === 3 ? 0x0f : 0x07);
  for (let k = 1; k < len; k++) cp = (cp << 6) | (b[i + k] & 0x3f);
  return isLetter(cp);
}
