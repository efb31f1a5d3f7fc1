/**
 * Groups of ONE batch whose key columns are all dictionary-encoded, numbered by their codes
 * without hashing a single key: the groups are the code combinations that occur, in order of
 * first appearance, and the keys are the dictionary entries at those rows. A worker
 * aggregating one Parquet row group of a 100k-entry dictionary thus skips 100k string
 * hashes; the coordinator's combine, which hashes the partial's keys anyway, merges them.
 *
 * When the code space is no larger than the batch, the codes themselves are the group ids
 * (the ids are sparse: {@link CodeKeyTable.liveGroups} lists those with rows), which saves
 * the pass that maps every row's code to a dense id; larger spaces map codes to dense ids.
 *
 * A dictionary that holds one value twice (the Parquet format allows it) yields that key
 * twice, so the groups are only a partial's: valid for aggregates whose partials merge in any
 * row order (not first/last) and for one batch only. It offers no group hashes: hashing every
 * key to order the partial would undo what grouping by codes saves in the workers, which bound
 * these queries (see partial-order.ts).
 */
import type { Column } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { takeColumn } from '../../column/take.js';
import { codeSpace, codeStrides, firstCodes, mapCodes, MAX_CODES } from './dict-keys.js';
import { wasmGroupPairs } from '../wasm/codes.js';
import type { GroupTable } from './key-table.js';

export class CodeKeyTable implements GroupTable {
  private keys: Column[] | undefined;
  private ids = 0;
  private live: Int32Array | undefined;

  /** Whether `cols` can be grouped this way (every key dictionary-encoded, a small code space). */
  static fits(cols: Column[]): boolean {
    return codeSpace(cols) <= MAX_CODES;
  }

  get size(): number { return this.ids; }

  liveGroups(): Int32Array | undefined { return this.live; }

  keyColumns(): Column[] {
    if (!this.keys) throw new Error('internal: CodeKeyTable read before its batch was grouped');
    return this.keys;
  }

  /**
   * The group ids of the batch's rows. With sparse ids these are the composite codes, which
   * for one key without nulls is the key column's own code array: callers only read ids.
   */
  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    if (this.keys) throw new Error('internal: CodeKeyTable groups one batch only');
    const space = codeSpace(cols);
    // two keys without nulls: dense ids in one pass over the pairs' codes
    if (cols.length === 2 && !cols[0].valid && !cols[1].valid) {
      const gids = out && out.length >= n ? out : new Int32Array(n), firstRow = new Int32Array(Math.min(n, space));
      const m = wasmGroupPairs(cols[0].values as Int32Array, cols[1].values as Int32Array, n, codeStrides(cols)[1], space, gids, firstRow);
      if (m >= 0) {
        this.keys = cols.map((c) => plain(takeColumn(c, firstRow.subarray(0, m))));
        this.ids = m;
        return gids.length === n ? gids : gids.subarray(0, n);
      }
    }
    const seen = new Int32Array(space);
    const { composite, rows } = firstCodes(cols, n, seen, space);
    this.keys = cols.map((c) => plain(takeColumn(c, rows)));
    if (space <= n) {
      const live = this.live = new Int32Array(rows.length);
      for (let j = 0; j < rows.length; j++) live[j] = composite[rows[j]];
      this.ids = space;
      return composite.length === n ? composite : composite.subarray(0, n);
    }
    const gids = out && out.length >= n ? out : new Int32Array(n);
    mapCodes(gids, composite, seen, n);
    this.ids = rows.length;
    return gids;
  }

  lookupIds(): Int32Array {
    throw new Error('internal: CodeKeyTable does not look keys up');
  }
}
