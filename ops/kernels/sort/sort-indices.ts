/** Stable multi-key sort of a batch into a row permutation. */
import { SchemaError } from '../../../core/errors.js';
import type { Batch, Column } from '../../../core/types.js';
import { sortKeyWords } from './keys.js';
import { RadixBuffers, sortByWord } from './radix.js';

/**
 * The stable permutation that sorts `batch` by the columns `by` (first = most significant),
 * each ascending or descending. Nulls sort last in both directions; NaN sorts above every
 * number (so first when descending), as in DuckDB; utf8 sorts by bytes (code point order).
 * Equal rows keep their input order.
 * @example
 * const idx = sortIndices(batch, ['id', 'v'], [false, true]);
 * const sorted = takeBatch(batch, idx);
 */
export function sortIndices(batch: Batch, by: string[], descending: boolean[]): Int32Array {
  const n = batch.length;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  if (n < 2) return perm;
  const buf = new RadixBuffers(n);
  // LSD over keys: stable sorts from the least significant key up compose into the full order
  for (let j = by.length - 1; j >= 0; j--) {
    const { words, valid } = sortKeyWords(sortColumn(batch, by[j]), n, descending[j] ?? false);
    for (const w of words) sortByWord(perm, 0, n, w, buf);
    if (valid) nullsLast(perm, n, valid, buf.perm2);
  }
  return perm;
}

/** Stable partition: rows with a valid key first, null rows after, each in current order. */
function nullsLast(perm: Int32Array, n: number, valid: Uint8Array, tmp: Int32Array): void {
  let k = 0, m = 0;
  for (let i = 0; i < n; i++) {
    const r = perm[i];
    if (valid[r] !== 0) perm[k++] = r; else tmp[m++] = r;
  }
  perm.set(tmp.subarray(0, m), k);
}

/** The named sort column, or a SchemaError listing the batch's columns. */
export function sortColumn(batch: Batch, name: string): Column {
  const c = batch.columns[name];
  if (!c) throw new SchemaError(`sort column "${name}" not found; available: ${Object.keys(batch.columns).join(', ')}`);
  return c;
}
