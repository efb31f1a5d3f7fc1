/** Filters a batch by a boolean column: null counts as false (SQL WHERE). */
import type { Batch, Column } from '../../../core/types.js';
import { takeBatch } from '../../column/take.js';

/** Indices of rows where the mask is true and not null. */
export function maskIndices(mask: Column): { idx: Int32Array; n: number } {
  const v = mask.values, valid = mask.valid, len = mask.length;
  const idx = new Int32Array(len);
  let n = 0;
  if (valid) { for (let i = 0; i < len; i++) { idx[n] = i; n += v[i] & valid[i]; } }
  else for (let i = 0; i < len; i++) { idx[n] = i; n += v[i]; }
  return { idx, n };
}

/** Rows of `b` where `mask` holds. A mask that keeps every row returns the input unchanged. */
export function filterBatch(b: Batch, mask: Column): Batch {
  const { idx, n } = maskIndices(mask);
  if (n === b.length) return b;
  return takeBatch(b, idx, n);
}
