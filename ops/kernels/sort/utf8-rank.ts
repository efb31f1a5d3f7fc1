/**
 * Ranks of utf8 values in byte (= code point) order, computed with an MSD radix sort
 * over 8-byte chunks: each run of rows sharing a prefix is sorted by its next 8 bytes (two
 * big-endian words, plus a length code that separates ended strings), and only runs that
 * still tie recurse. Low-cardinality columns finish in one chunk; small runs use insertion sort.
 */
import type { Column } from '../../../core/types.js';
import { KeyTable } from '../hash/key-table.js';
import type { Utf8KeyStore } from '../hash/key-store.js';
import { compareBytes } from './bytes.js';
import { RadixBuffers, sortGathered } from './radix.js';

const SMALL = 24;

/**
 * Rank of each row's string among the strings of rows [0, n) in byte order (equal strings
 * share a rank; ranks need not be consecutive). Null rows get rank 0: callers order nulls
 * separately.
 *
 * Rows are first deduplicated through a hash table, so only the distinct strings are sorted
 * (compactly, from the table's key arena); when the input turns out mostly distinct the
 * dedup is abandoned and the rows are sorted directly.
 * @example utf8Ranks(utf8FromStrings(['b', 'a', 'b']), 3) // ranks with r[1] < r[0] === r[2]
 */
export function utf8Ranks(col: Column, n: number): Uint32Array {
  const rank = dedupRanks(col, n) ?? rowRanks(col, n);
  const valid = col.valid;
  if (valid) for (let i = 0; i < n; i++) if (valid[i] === 0) rank[i] = 0;
  return rank;
}

const CHUNK = 1 << 16;
const SAMPLE = 1 << 18;

function dedupRanks(col: Column, n: number): Uint32Array | undefined {
  const table = new KeyTable(['utf8']);
  const gids = new Int32Array(n), off = col.offsets!;
  for (let s = 0; s < n; s += CHUNK) {
    const e = Math.min(n, s + CHUNK);
    const view: Column = { type: 'utf8', length: e - s, values: col.values, offsets: off.subarray(s, e + 1), valid: col.valid?.subarray(s, e), nullCount: col.nullCount };
    table.groupIds([view], e - s, gids.subarray(s, e));
    // mostly distinct after a fair sample: hashing buys nothing, sort the rows themselves
    if (e >= SAMPLE && table.size > e >> 1) return undefined;
  }
  const st = table.stores[0] as Utf8KeyStore, d = table.size;
  const perm = identity(d);
  sortRun(perm, 0, d, 0, st.bytes, st.offsets, new RadixBuffers(d));
  // distinct groups hold distinct strings (the null group aside), so position = rank
  const groupRank = new Uint32Array(d);
  for (let j = 0; j < d; j++) groupRank[perm[j]] = j;
  const rank = new Uint32Array(n);
  for (let i = 0; i < n; i++) rank[i] = groupRank[gids[i]];
  return rank;
}

function rowRanks(col: Column, n: number): Uint32Array {
  const b = col.values as Uint8Array, off = col.offsets!;
  const perm = identity(n);
  sortRun(perm, 0, n, 0, b, off, new RadixBuffers(n));
  const rank = new Uint32Array(n);
  let r = 0;
  for (let j = 1; j < n; j++) {
    const x = perm[j - 1], y = perm[j];
    if (compareBytes(b, off[x], off[x + 1], b, off[y], off[y + 1]) !== 0) r++;
    rank[y] = r;
  }
  return rank;
}

function identity(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}

/** Sorts positions [from, to) of `perm`, whose strings all share their first `depth` bytes. */
function sortRun(perm: Int32Array, from: number, to: number, depth: number, b: Uint8Array, off: Int32Array, buf: RadixBuffers): void {
  if (to - from <= SMALL) { insertionSort(perm, from, to, depth, b, off); return; }
  const k = buf.keys;
  // least significant first: length code, then bytes 4..7, then bytes 0..3 of the chunk
  for (let i = from; i < to; i++) { const r = perm[i], rest = off[r + 1] - off[r] - depth; k[i] = rest > 8 ? 9 : rest; }
  sortGathered(perm, from, to, buf);
  for (let i = from; i < to; i++) { const r = perm[i]; k[i] = chunkWord(b, off[r] + depth + 4, off[r + 1]); }
  sortGathered(perm, from, to, buf);
  for (let i = from; i < to; i++) { const r = perm[i]; k[i] = chunkWord(b, off[r] + depth, off[r + 1]); }
  sortGathered(perm, from, to, buf);
  // rows whose chunk and length code tie and that continue past the chunk still need ordering
  let start = from;
  while (start < to) {
    const r = perm[start], s = off[r] + depth, e = off[r + 1];
    const hi = chunkWord(b, s, e), lo = chunkWord(b, s + 4, e);
    let end = start + 1;
    if (e - s > 8) {
      while (end < to) {
        const q = perm[end], qs = off[q] + depth, qe = off[q + 1];
        if (qe - qs <= 8 || chunkWord(b, qs, qe) !== hi || chunkWord(b, qs + 4, qe) !== lo) break;
        end++;
      }
      if (end - start > 1) sortRun(perm, start, end, depth + 8, b, off, buf);
    }
    start = end;
  }
}

/** Bytes [s, s+4) as a big-endian unsigned word, zero-padded past `e`. */
function chunkWord(b: Uint8Array, s: number, e: number): number {
  if (s + 4 <= e) return ((b[s] << 24) | (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3]) >>> 0;
  let w = 0;
  for (let k = 0; k < 4; k++) w = (w << 8) | (s + k < e ? b[s + k] : 0);
  return w >>> 0;
}

function insertionSort(perm: Int32Array, from: number, to: number, depth: number, b: Uint8Array, off: Int32Array): void {
  for (let i = from + 1; i < to; i++) {
    const x = perm[i], xs = off[x] + depth, xe = off[x + 1];
    let j = i - 1;
    while (j >= from) {
      const y = perm[j];
      if (compareBytes(b, off[y] + depth, off[y + 1], b, xs, xe) <= 0) break;
      perm[j + 1] = y;
      j--;
    }
    perm[j + 1] = x;
  }
}
