/**
 * Ranks of utf8 values in byte (= code point) order, computed with an MSD radix sort over
 * 8-byte chunks: each run of strings sharing a prefix is sorted by its next 8 bytes (two
 * big-endian words, plus a length code that separates ended strings), and only runs that
 * still tie recurse. Ranks are handed out as runs resolve, so equal strings never need a
 * second comparison pass. Low-cardinality columns are deduplicated through a hash table
 * first and only their distinct strings are sorted.
 */
import type { Column } from '../../../core/types.js';
import type { Utf8KeyStore } from '../hash/key-store.js';
import { SingleKeyTable } from '../hash/single-key-table.js';
import { compareBytes } from './bytes.js';
import { BITS, MASK, RADIX, countDigits, passOffsets } from './radix.js';

/**
 * Rank of each row's string among the strings of rows [0, n) in byte order (equal strings
 * share a rank; ranks need not be consecutive). Null rows get rank 0: callers order nulls
 * separately.
 * @example utf8Ranks(utf8FromStrings(['b', 'a', 'b']), 3) // ranks with r[1] < r[0] === r[2]
 */
export function utf8Ranks(col: Column, n: number): Uint32Array {
  const rank = dedupRanks(col, n) ?? new Ranker(col.values as Uint8Array, col.offsets!, n).rank;
  const valid = col.valid;
  if (valid) for (let i = 0; i < n; i++) if (valid[i] === 0) rank[i] = 0;
  return rank;
}

const CHUNK = 1 << 16;
const SAMPLE = 1 << 18;

function dedupRanks(col: Column, n: number): Uint32Array | undefined {
  const table = new SingleKeyTable('utf8');
  const gids = new Int32Array(n), off = col.offsets!;
  for (let s = 0; s < n; s += CHUNK) {
    const e = Math.min(n, s + CHUNK);
    const view: Column = { type: 'utf8', length: e - s, values: col.values, offsets: off.subarray(s, e + 1), valid: col.valid?.subarray(s, e), nullCount: col.nullCount };
    table.groupIds([view], e - s, gids.subarray(s, e));
    // mostly distinct after a fair sample: hashing buys nothing, sort the rows themselves
    if (e >= SAMPLE && table.size > e >> 1) return undefined;
  }
  const st = table.store as Utf8KeyStore;
  const groupRank = new Ranker(st.bytes, st.offsets, table.size).rank;
  const rank = new Uint32Array(n);
  for (let i = 0; i < n; i++) rank[i] = groupRank[gids[i]];
  return rank;
}

const SMALL = 24;
// a radix round costs ~10k operations of histogram upkeep whatever the run's size
const RADIX_MIN = 2048;

interface Arrays { perm: Int32Array; hi: Uint32Array; lo: Uint32Array; lc: Uint32Array }
const HI = 0, LO = 1, LC = 2;
type Which = typeof HI | typeof LO | typeof LC;
const pick = (a: Arrays, w: Which): Uint32Array => (w === HI ? a.hi : w === LO ? a.lo : a.lc);

/** Sorts strings 0..count-1 of (bytes, offsets) and records each one's rank. */
class Ranker {
  readonly rank: Uint32Array;
  private next = 0;
  private perm: Int32Array;
  // per position: chunk words and length code of the string there, moved along with perm
  private hi: Uint32Array;
  private lo: Uint32Array;
  private lc: Uint32Array;
  private readonly tmp: Arrays;
  private readonly counts = new Int32Array(RADIX * 3);

  constructor(private readonly b: Uint8Array, private readonly off: Int32Array, count: number) {
    this.rank = new Uint32Array(count);
    this.perm = new Int32Array(count);
    for (let i = 0; i < count; i++) this.perm[i] = i;
    this.hi = new Uint32Array(count); this.lo = new Uint32Array(count); this.lc = new Uint32Array(count);
    this.tmp = { perm: new Int32Array(count), hi: new Uint32Array(count), lo: new Uint32Array(count), lc: new Uint32Array(count) };
    if (count > 0) this.sortRun(0, count, 0);
  }

  /** Sorts and ranks positions [from, to), whose strings all share their first `depth` bytes. */
  private sortRun(from: number, to: number, depth: number): void {
    const n = to - from, perm = this.perm, b = this.b, off = this.off;
    if (n === 1) { this.rank[perm[from]] = this.next++; return; }
    if (n <= SMALL || n < RADIX_MIN) {
      if (n <= SMALL) insertionSort(perm, from, to, depth, b, off);
      else perm.subarray(from, to).sort((x, y) => compareBytes(b, off[x] + depth, off[x + 1], b, off[y] + depth, off[y + 1]));
      this.rankByComparing(from, to, depth);
      return;
    }
    const hi = this.hi, lo = this.lo, lc = this.lc;
    for (let i = from; i < to; i++) {
      const r = perm[i], s = off[r] + depth, e = off[r + 1];
      hi[i] = chunkWord(b, s, e); lo[i] = chunkWord(b, s + 4, e);
      lc[i] = e - s > 8 ? 9 : e - s;
    }
    // least significant first: length code, then bytes 4..7, then bytes 0..3
    this.sortBy(LC, from, to);
    this.sortBy(LO, from, to);
    this.sortBy(HI, from, to);
    let start = from;
    while (start < to) {
      const h = hi[start], l = lo[start], c = lc[start];
      let end = start + 1;
      while (end < to && hi[end] === h && lo[end] === l && lc[end] === c) end++;
      if (c === 9 && end - start > 1) this.sortRun(start, end, depth + 8);
      else {
        // ended strings with equal chunk and length are equal strings
        const rk = this.next++;
        for (let j = start; j < end; j++) this.rank[perm[j]] = rk;
      }
      start = end;
    }
  }

  private rankByComparing(from: number, to: number, depth: number): void {
    const perm = this.perm, b = this.b, off = this.off;
    let rk = this.next++;
    this.rank[perm[from]] = rk;
    for (let j = from + 1; j < to; j++) {
      const x = perm[j - 1], y = perm[j];
      if (compareBytes(b, off[x] + depth, off[x + 1], b, off[y] + depth, off[y + 1]) !== 0) rk = this.next++;
      this.rank[y] = rk;
    }
  }

  /** Stable LSD radix passes over positions [from, to) by one of hi/lo/lc, carrying all four arrays. */
  private sortBy(which: Which, from: number, to: number): void {
    const n = to - from, c = this.counts;
    const key = which === HI ? this.hi : which === LO ? this.lo : this.lc;
    countDigits(c, key, from, to);
    let src: Arrays = { perm: this.perm, hi: this.hi, lo: this.lo, lc: this.lc }, dst = this.tmp;
    for (let pass = 0; pass < 3; pass++) {
      const base = pass * RADIX, shift = pass * BITS;
      if (!passOffsets(c, pass, from, n)) continue;
      const kk = pick(src, which), sp = src.perm, sh = src.hi, sl = src.lo, sc = src.lc;
      const dp = dst.perm, dh = dst.hi, dl = dst.lo, dc = dst.lc;
      for (let i = from; i < to; i++) {
        const q = c[base + ((kk[i] >>> shift) & MASK)]++;
        dp[q] = sp[i]; dh[q] = sh[i]; dl[q] = sl[i]; dc[q] = sc[i];
      }
      const t = src; src = dst; dst = t;
    }
    if (src.perm !== this.perm) {
      this.perm.set(src.perm.subarray(from, to), from);
      this.hi.set(src.hi.subarray(from, to), from);
      this.lo.set(src.lo.subarray(from, to), from);
      this.lc.set(src.lc.subarray(from, to), from);
    }
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
