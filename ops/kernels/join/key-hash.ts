/**
 * Hashes of key tuples for joins and hash partitioning. Numbers hash by value whatever their
 * dtype (so an int32 5 and a float64 5.0 land together, as a join on them requires), utf8 by
 * bytes. The seed selects an independent hash: a partition that is still too big is split
 * again with the next seed, which must not send all its rows to one sub-partition.
 */
import { SchemaError } from '../../../core/errors.js';
import type { Batch, Column } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { asFloat64 } from '../hash/grow.js';
import { fmix, hashBytes, hashNumber, mixWord } from '../hash/hash.js';

/** Stands for a null key in the hash; joins never look such rows up. */
const NULL_WORD = 0x6b43a9b5 | 0;

/**
 * The hash seed of partitioning level `level` (0 for the first split).
 * @example partitionSeed(1) !== partitionSeed(0)
 */
export function partitionSeed(level: number): number {
  return (0x243f6a88 + Math.imul(level + 1, 0x9e3779b9)) | 0;
}

/**
 * The named key columns of `batch` in plain form; SchemaError naming the missing one.
 * @example const cols = keyColumns(batch, ['id'], 'join key')
 */
export function keyColumns(batch: Batch, keys: readonly string[], what = 'key'): Column[] {
  return keys.map((k) => {
    const c = batch.columns[k];
    if (!c) throw new SchemaError(`${what} column "${k}" not found; available: ${Object.keys(batch.columns).join(', ')}`);
    return plain(c);
  });
}

/**
 * One 32-bit hash per row of the key tuple in `cols` (plain columns), null keys included
 * as a value of their own.
 * @example const h = hashKeyRows([ids], ids.length, partitionSeed(0))
 */
export function hashKeyRows(cols: Column[], n: number, seed: number, out?: Int32Array): Int32Array {
  const h = out && out.length >= n ? out : new Int32Array(n);
  h.fill(seed, 0, n);
  for (const c of cols) {
    const valid = c.nullCount > 0 ? c.valid : undefined;
    if (c.type === 'utf8') {
      const b = c.values as Uint8Array, off = c.offsets!;
      for (let i = 0; i < n; i++) {
        const w = valid !== undefined && valid[i] === 0 ? NULL_WORD : hashBytes(b, off[i], off[i + 1]);
        h[i] = mixWord(h[i], w);
      }
    } else {
      const v = asFloat64(c.values);
      for (let i = 0; i < n; i++) {
        const w = valid !== undefined && valid[i] === 0 ? NULL_WORD : hashNumber(v[i]);
        h[i] = mixWord(h[i], w);
      }
    }
  }
  for (let i = 0; i < n; i++) h[i] = fmix(h[i]);
  return h;
}

/**
 * 1 for rows where some key is null, or undefined when no key column has nulls.
 * @example const nulls = nullKeyRows(cols, n); if (nulls?.[i]) skip(i)
 */
export function nullKeyRows(cols: Column[], n: number): Uint8Array | undefined {
  let out: Uint8Array | undefined;
  for (const c of cols) {
    if (c.nullCount === 0 || !c.valid) continue;
    out ??= new Uint8Array(n);
    const v = c.valid;
    for (let i = 0; i < n; i++) out[i] |= v[i] ^ 1;
  }
  return out;
}

/**
 * Checks that key columns can be compared across the two sides: utf8 with utf8, any
 * number-like dtype with any other (compared by value).
 * @example checkKeyTypes(leftCols, rightCols, ['id'])
 */
export function checkKeyTypes(a: Column[], b: Column[], keys: readonly string[]): void {
  a.forEach((c, j) => {
    if ((c.type === 'utf8') !== (b[j].type === 'utf8')) {
      throw new SchemaError(`join key "${keys[j]}" is ${c.type} on the left but ${b[j].type} on the right; cast one side so both are utf8 or both numeric`);
    }
  });
}
