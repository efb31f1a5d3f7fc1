/**
 * Groups of ONE batch whose key columns are all dictionary-encoded, numbered by their codes
 * without hashing a single key: the groups are the code combinations that occur, in order of
 * first appearance, and the keys are the dictionary entries at those rows. A worker
 * aggregating one Parquet row group of a 100k-entry dictionary thus skips 100k string
 * hashes; the coordinator's combine, which hashes the partial's keys anyway, merges them.
 *
 * A dictionary that holds one value twice (the Parquet format allows it) yields that key
 * twice, so the groups are only a partial's: valid for aggregates whose partials merge in any
 * row order (not first/last) and for one batch only.
 */
import type { Column } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { takeColumn } from '../../column/take.js';
import { compositeCodes, firstAppearances, mapCodes, MAX_CODES, possibleCodes } from './dict-keys.js';
import type { GroupTable } from './key-table.js';

export class CodeKeyTable implements GroupTable {
  private keys: Column[] | undefined;

  /** Whether `cols` can be grouped this way (every key dictionary-encoded, a small code space). */
  static fits(cols: Column[]): boolean {
    let space = 1;
    for (const c of cols) { if (!c.dictionary) return false; space *= c.dictionary.length + 1; }
    return space <= MAX_CODES;
  }

  get size(): number { return this.keys ? this.keys[0].length : 0; }

  keyColumns(): Column[] {
    if (!this.keys) throw new Error('internal: CodeKeyTable read before its batch was grouped');
    return this.keys;
  }

  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    if (this.keys) throw new Error('internal: CodeKeyTable groups one batch only');
    const gids = out && out.length >= n ? out : new Int32Array(n);
    const composite = compositeCodes(cols, n);
    let space = 1;
    for (const c of cols) space *= c.dictionary!.length + 1;
    const seen = new Int32Array(space).fill(-1);
    const firstRow = new Int32Array(Math.min(n, space));
    const m = firstAppearances(composite, n, seen, firstRow, Math.min(possibleCodes(cols), n));
    mapCodes(gids, composite, seen, n);
    const rows = firstRow.subarray(0, m);
    this.keys = cols.map((c) => plain(takeColumn(c, rows)));
    return gids;
  }

  /**
   * None: hashing every key for the partial's order would undo what grouping by codes saves
   * (the workers, not the coordinator, bound these queries).
   */
  groupHashes(): undefined {
    return undefined;
  }

  lookupIds(): Int32Array {
    throw new Error('internal: CodeKeyTable does not look keys up');
  }
}
