/**
 * Sort keys as unsigned 32-bit words whose unsigned order is the sort order: integers with
 * the sign bit flipped, floats by their IEEE bits (negatives inverted), strings by rank.
 * Descending inverts the words. Null rows get the word 0 so they keep their relative order;
 * the caller moves them last.
 */
import type { Column } from '../../../core/types.js';
import { asFloat64 } from '../hash/grow.js';
import { utf8Ranks } from './utf8-rank.js';

/** The words of one sort key, least significant first, and the rows' validity. */
export interface SortKeyWords {
  words: Uint32Array[];
  valid?: Uint8Array;
}

const SIGN = 0x80000000;

/**
 * Order-preserving words for rows [0, n) of `col`. NaN sorts above every number (DuckDB),
 * -0 equals 0.
 * @example sortKeyWords(col, col.length, false).words // [Uint32Array] for int32
 */
export function sortKeyWords(col: Column, n: number, descending: boolean): SortKeyWords {
  const valid = col.nullCount > 0 ? col.valid : undefined;
  let words: Uint32Array[];
  switch (col.type) {
    case 'utf8': words = [col.dictionary ? dictionaryRanks(col, n) : utf8Ranks(col, n)]; break;
    case 'uint32': words = [Uint32Array.from(col.values.subarray(0, n))]; break;
    case 'bool': case 'int8': case 'int16': case 'int32': case 'uint8': case 'uint16': case 'date':
      words = [int32Words(col.values, n)]; break;
    default: {
      const v = asFloat64(col.values);
      words = fitsInt32(v, valid, n) ? [int32Words(v, n)] : floatWords(v, n);
    }
  }
  if (valid) for (const w of words) for (let i = 0; i < n; i++) if (valid[i] === 0) w[i] = 0;
  if (descending) for (const w of words) for (let i = 0; i < n; i++) w[i] = ~w[i];
  return { words, valid };
}

/** Dictionary-encoded utf8: rank the dictionary's entries once, then look each row's code up. */
function dictionaryRanks(col: Column, n: number): Uint32Array {
  const dict = col.dictionary!, codes = col.values as Int32Array, valid = col.valid;
  const entryRank = utf8Ranks(dict, dict.length);
  const rank = new Uint32Array(n);
  // null rows may carry any code
  for (let i = 0; i < n; i++) if (valid === undefined || valid[i] !== 0) rank[i] = entryRank[codes[i]];
  return rank;
}

function int32Words(v: ArrayLike<number>, n: number): Uint32Array {
  const w = new Uint32Array(n);
  for (let i = 0; i < n; i++) w[i] = (v[i] | 0) ^ SIGN;
  return w;
}

function fitsInt32(v: Float64Array, valid: Uint8Array | undefined, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if ((x | 0) !== x) { if (valid === undefined || valid[i] !== 0) return false; }
  }
  return true;
}

/** [low word, high word] of each value's order-preserving 64-bit image. */
function floatWords(v: Float64Array, n: number): Uint32Array[] {
  const bits = new Uint32Array(2);
  const f = new Float64Array(bits.buffer);
  const lo = new Uint32Array(n), hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x !== x) { hi[i] = 0xfff80000; continue; }
    f[0] = x === 0 ? 0 : x;
    const l = bits[0], h = bits[1];
    if (h & SIGN) { hi[i] = ~h; lo[i] = ~l; } else { hi[i] = h ^ SIGN; lo[i] = l; }
  }
  return [lo, hi];
}
