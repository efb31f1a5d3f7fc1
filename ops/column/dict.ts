/** Dictionary-encoded columns (see Column.dictionary) and their plain form. */
import type { Batch, Column } from '../../core/types.js';
import { takeColumn } from './take.js';

/** The plain form of a dictionary-encoded column; other columns are returned as they are. */
export function plain(c: Column): Column {
  if (!c.dictionary) return c;
  const codes = c.values as Int32Array;
  const out = takeColumn(c.dictionary, codes, c.length);
  if (!c.valid) return out;
  // null rows carry an arbitrary code; their validity comes from the encoded column
  return { ...out, valid: c.valid, nullCount: c.nullCount };
}

/** The batch with the named columns (all when omitted) in plain form. */
export function plainBatch(b: Batch, names?: Iterable<string>): Batch {
  const which = names ? new Set(names) : undefined;
  let changed = false;
  const columns: Batch['columns'] = {};
  for (const [k, c] of Object.entries(b.columns)) {
    if (c.dictionary && (!which || which.has(k))) { columns[k] = plain(c); changed = true; }
    else columns[k] = c;
  }
  return changed ? { length: b.length, columns } : b;
}
