/**
 * The fused word-count step of a pipeline: lowercase, split on runs of non-letters and count
 * per word, straight from UTF-8 bytes. Its output is a partial hash aggregate of count(*)
 * keyed by the word (`#k0`, `#0.n`) plus the hidden min of the word's first position (`#1.v`,
 * planner/physical/pipeline.ts FIRST_SEEN), so the coordinator can combine partials in any
 * order (a thread may count many partitions into one table) and still give groups in order
 * of first appearance.
 */
import type { Batch, Column } from '../../core/types.js';
import { isLetter, WordCounter } from '../kernels/text/index.js';

/**
 * A position is `seq * RANK + r`: the partition where the word was first seen and its rank
 * among the words new there; the word '' sits half a rank before the first word new after it
 * (exact in float64 for 2^23 partitions of 2^29 new words each).
 */
const RANK = 2 ** 29;

/**
 * Word counts of one or more partitions, counted in the order given (a thread's partitions
 * of one query come in increasing sequence). Words new in a partition keep the order in
 * which they appear in it, so (partition, rank among its new words) orders first appearances.
 * @example const s = new WordCountState(); s.addBlock(0, bytes); const partial = s.partial();
 */
export class WordCountState {
  readonly counter = new WordCounter();
  /** pairs (partition seq, id of the first word new in it), in counting order */
  private readonly runs: number[] = [];
  /** '' pieces (counted when empty words are kept) and the position of the first one */
  private empty = 0;
  private emptyAt = Infinity;

  /** The last partition counted, or -1. */
  get lastSeq(): number { return this.runs.length ? this.runs[this.runs.length - 2] : -1; }

  /** Bytes the state holds. */
  get bytes(): number { return this.counter.bytes; }

  /** Counts a block of whole text lines of partition `seq`. */
  addBlock(seq: number, bytes: Uint8Array): void {
    this.begin(seq);
    this.counter.countBlock(bytes, 0, bytes.length);
  }

  /**
   * Counts the words of every non-null value of a utf8 column of partition `seq` (each value
   * is split on its own). With `dropEmpty` false, the empty pieces `String.split` would give
   * are counted as the word '' (one for an empty value, one for a leading and one for a
   * trailing separator run).
   */
  addColumn(seq: number, col: Column, dropEmpty: boolean): void {
    const from = this.begin(seq);
    const counter = this.counter;
    const n = col.length, off = col.offsets!, bytes = col.values as Uint8Array, valid = col.valid;
    let empty = 0;
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      const s = off[i], e = off[i + 1], before = counter.size;
      counter.countBlock(bytes, s, e);
      if (dropEmpty) continue;
      const k = emptyPieces(bytes, s, e);
      if (k > 0 && this.emptyAt === Infinity) {
        // '' comes before this value's words when the value is empty or starts with a separator, else after them
        const lead = s === e || !isLetterAt(bytes, s);
        this.emptyAt = seq * RANK + (lead ? before : counter.size) - from - 0.5;
      }
      empty += k;
    }
    this.empty += empty;
  }

  /** Starts (or continues) the run of partition `seq`; returns the id of its first new word. */
  private begin(seq: number): number {
    const r = this.runs;
    if (r.length > 0 && r[r.length - 2] === seq) return r[r.length - 1];
    r.push(seq, this.counter.size);
    return this.counter.size;
  }

  /** The counts in the layout of HashAggregator.toPartial() for count(*) and min(FIRST_SEEN). */
  partial(): Batch {
    const { words, counts } = this.counter.toColumns();
    const m = words.length, n = m + (this.empty > 0 ? 1 : 0);
    const first = new Float64Array(n);
    const r = this.runs;
    for (let k = 0; k < r.length; k += 2) {
      const base = r[k] * RANK, from = r[k + 1], to = k + 3 < r.length ? r[k + 3] : m;
      for (let id = from; id < to; id++) first[id] = base + (id - from);
    }
    let keys = words, n0 = counts;
    if (n > m) {
      // '' joins as one more group
      const offsets = new Int32Array(n + 1);
      offsets.set(words.offsets!);
      offsets[n] = offsets[m];
      keys = { type: 'utf8', length: n, values: words.values, offsets, nullCount: 0 };
      n0 = new Float64Array(n);
      n0.set(counts);
      n0[m] = this.empty;
      first[m] = this.emptyAt;
    }
    return {
      length: n,
      columns: {
        '#k0': keys,
        '#0.n': { type: 'int64', length: n, values: n0, nullCount: 0 },
        '#1.v': { type: 'float64', length: n, values: first, nullCount: 0 },
      },
    };
  }
}

/** A partial of no words (a partition whose counts a thread keeps). */
export function emptyCounts(): Batch {
  return {
    length: 0,
    columns: {
      '#k0': { type: 'utf8', length: 0, values: new Uint8Array(0), offsets: new Int32Array(1), nullCount: 0 },
      '#0.n': { type: 'int64', length: 0, values: new Float64Array(0), nullCount: 0 },
      '#1.v': { type: 'float64', length: 0, values: new Float64Array(0), nullCount: 0 },
    },
  };
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
