/**
 * Per-task word counts: a {@link WordTable} fed by the {@link countWords} kernel, mergeable
 * with other counters or with their exported columns, and exported as transferable typed
 * arrays for the coordinator.
 */
import type { Column } from '../../../core/types.js';
import { countWords } from './count-words.js';
import { WordTable } from './word-table.js';

/**
 * Words and their counts as plain typed arrays (transferable between threads): `words` is a
 * utf8 column without nulls and `counts[i]` is the count of word i.
 * @example const { words, counts } = counter.toColumns();
 */
export interface WordCountsBatch {
  words: Column;
  counts: Float64Array;
}

/**
 * Counts words the way DuckDB's
 * `unnest(regexp_split_to_array(lower(line), '[^\p{L}]+'))` with empty strings dropped does:
 * lowercase per code point, split on maximal runs of non-letters, count each piece. One per
 * worker task; not safe to share between threads.
 * @example
 * const c = new WordCounter();
 * c.countBlock(new TextEncoder().encode('The cat and THE hat\n'));
 * c.toColumns(); // words the, cat, and, hat; counts 2, 1, 1, 1
 */
export class WordCounter {
  private readonly table: WordTable;
  // a view per distinct byte array, so counting row by row does not allocate one per row
  private lastBytes: Uint8Array | undefined;
  private lastView: DataView | undefined;

  /** @param initialCapacity distinct words expected; the table grows past it as needed. */
  constructor(initialCapacity = 4096) {
    this.table = new WordTable(initialCapacity);
  }

  /**
   * Counts the words of bytes [start, end) of UTF-8 text (whole lines; '\n' and '\r' are
   * separators like any non-letter, and so is every byte of an invalid UTF-8 sequence).
   * @example c.countBlock(bytes, 0, bytes.length)
   */
  countBlock(bytes: Uint8Array, start = 0, end = bytes.length): void {
    if (start < 0 || end > bytes.length || start > end) throw new RangeError(`countBlock: range [${start}, ${end}) outside 0..${bytes.length}`);
    if (bytes !== this.lastBytes || this.lastView === undefined) {
      this.lastBytes = bytes;
      this.lastView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    countWords(this.table, bytes, start, end, this.lastView);
  }

  /**
   * Distinct words so far.
   * @example new WordCounter().size === 0
   */
  get size(): number { return this.table.size; }

  /**
   * Bytes the counter's arrays take (its table, word bytes and counts).
   * @example new WordCounter().bytes > 0
   */
  get bytes(): number {
    const t = this.table;
    return t.tab.byteLength + t.offsets.byteLength + t.arena.byteLength + t.spill.byteLength;
  }

  /**
   * Word occurrences so far (a pass over the table, not a stored field: the kernel does not
   * spend an instruction per word on it).
   * @example c.countBlock(new TextEncoder().encode('a b a')); c.total === 3
   */
  get total(): number {
    const counts = this.table.counts();
    let sum = 0;
    for (let i = 0; i < counts.length; i++) sum += counts[i];
    return sum;
  }

  /**
   * Adds another counter's counts, or counts exported by {@link toColumns} (for example from a
   * worker). Words new to this counter follow its own, in their first-appearance order there.
   * @example coordinator.merge(workerCounter); coordinator.merge(batchFromWorker);
   */
  merge(other: WordCounter | WordCountsBatch): void {
    const t = this.table;
    if (other instanceof WordCounter) {
      t.merge(other.table);
      return;
    }
    const { words, counts } = other;
    if (words.type !== 'utf8' || !words.offsets || words.dictionary) throw new TypeError('merge: words must be a plain utf8 column');
    if (counts.length < words.length) throw new RangeError(`merge: ${words.length} words but ${counts.length} counts`);
    const off = words.offsets, bytes = words.values as Uint8Array, valid = words.valid;
    for (let i = 0; i < words.length; i++) {
      if (valid && !valid[i]) continue;
      if (counts[i] > 0) t.add(bytes, off[i], off[i + 1], counts[i]);
    }
  }

  /**
   * The words (utf8, no nulls) and counts in first-appearance order, as fresh typed arrays
   * that can be transferred to another thread; the counter stays usable.
   * @example const { words, counts } = c.toColumns(); postMessage({ words, counts }, [words.values.buffer, words.offsets!.buffer, counts.buffer]);
   */
  toColumns(): WordCountsBatch {
    const t = this.table, n = t.size;
    return {
      words: { type: 'utf8', length: n, values: t.arena.slice(0, t.offsets[n]), offsets: t.offsets.slice(0, n + 1), nullCount: 0 },
      counts: t.counts(),
    };
  }
}
