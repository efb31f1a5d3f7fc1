/** One entry point for grouping rows by any number of key columns. */
import type { Column, DType } from '../../../core/types.js';
import { MultiKeyTable } from './multi-key-table.js';
import { SingleKeyTable } from './single-key-table.js';
import { DictKeyTable } from './dict-keys.js';

/**
 * Maps rows of key columns to dense group ids numbered in order of first appearance. Null
 * keys form their own group; -0 equals 0 and NaN equals NaN, as in DuckDB.
 */
export interface GroupTable {
  /** Number of distinct keys (tuples) seen. */
  readonly size: number;
  /**
   * Writes the group id of rows [0, n) of `cols` into `out` (allocated when absent or too
   * small) and returns it. New keys get the next ids, in row order.
   */
  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array;
  /**
   * The group id of rows [0, n) without adding keys: -1 where the key is not in the table,
   * and where a key column is null (joins never match null keys).
   */
  lookupIds(cols: Column[], n: number, out?: Int32Array): Int32Array;
  /** The distinct keys, one column per key column, in group-id order. */
  keyColumns(): Column[];
  /**
   * Each group's hash as a table of the same kind (for the same key types) would compute it,
   * by group id; undefined where the table has none to give.
   */
  groupHashes?(): Int32Array | undefined;
  /**
   * For a table that numbers groups sparsely (ids are key codes, and some ids hold no rows):
   * the ids that hold rows, in order of first appearance. {@link keyColumns} then lists the
   * keys of exactly these groups, in this order, and states sized {@link size} are taken at
   * these ids. Undefined for dense tables.
   */
  liveGroups?(): Int32Array | undefined;
}

/**
 * The table for key columns of dtypes `types` (one or more).
 * @example
 * const t = createGroupTable(['utf8', 'int32']);
 * const gids = t.groupIds([a, b], n);
 */
export function createGroupTable(types: DType[]): GroupTable {
  if (types.length === 0) throw new Error('internal: a group table needs at least one key column');
  return new DictKeyTable(types.length === 1 ? new SingleKeyTable(types[0]) : new MultiKeyTable(types));
}
