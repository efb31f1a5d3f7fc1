/**
 * Groups of ONE batch whose key columns are all dictionary-encoded, numbered by their codes
 * without hashing a single key: the groups are the code combinations that occur, in order of
 * first appearance, and the keys are the dictionary entries at those rows. A worker
 * aggregating one Parquet row group of a 100k-entry dictionary thus skips 100k string
 * hashes; the coordinator's combine, which hashes the partial's keys anyway, merges them.
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
import { codeSpace, firstCodes, mapCodes, MAX_CODES } from './dict-keys.js';
import type { GroupTable } from './key-table.js';

export class CodeKeyTable implements GroupTable {
  private keys: Column[] | undefined;

  /** Whether `cols` can be grouped this way (every key dictionary-encoded, a small code space). */
  static fits(cols: Column[]): boolean {
    return codeSpace(cols) <= MAX_CODES;
  }

  get size(): number { return this.keys ? this.keys[0].length : 0; }

  keyColumns(): Column[] {
    if (!this.keys) throw new Error('internal: CodeKeyTable read before its batch was grouped');
    return this.keys;
  }

  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    if (this.keys) throw new Error('internal: CodeKeyTable groups one batch only');
    const gids = out && out.length >= n ? out : new Int32Array(n);
    const space = codeSpace(cols);
    const seen = new Int32Array(space);
    const { composite, rows } = firstCodes(cols, n, seen, space);
    mapCodes(gids, composite, seen, n);
    this.keys = cols.map((c) => plain(takeColumn(c, rows)));
    return gids;
  }

  lookupIds(): Int32Array {
    throw new Error('internal: CodeKeyTable does not look keys up');
  }
}
