/** The per-aggregate state machine the hash aggregator drives, plus column helpers. */
import { allocValues, type Column, type DType, type NumericArray } from '../../../core/types.js';

/**
 * Per-group state of one aggregate, in typed arrays indexed by group id. The aggregator
 * grows it with {@link Accumulator.resize} before every update, so loops never bounds-check.
 */
export interface Accumulator {
  /** dtype of the finalized column */
  readonly outType: DType;
  /** Makes room for group ids [0, groups). */
  resize(groups: number): void;
  /** Folds rows [0, n) of `col` into groups `gids[0..n)`; `col` is absent for count(*). */
  update(gids: Int32Array, col: Column | undefined, n: number): void;
  /** Adds this state's columns (`prefix` + part name) for groups [0, groups) to `into`. */
  partial(groups: number, into: Record<string, Column>, prefix: string): void;
  /** Folds partial rows [0, n) (parts by name, as written by `partial`) into groups `gids`. */
  merge(gids: Int32Array, part: (name: string) => Column, n: number): void;
  /** The result column for groups [0, groups). */
  finalize(groups: number): Column;
}

/**
 * A column of dtype `type` from float64 state, null where `has[g] === 0` (or nowhere when
 * `has` is absent).
 */
export function stateColumn(type: DType, vals: Float64Array, has: Uint8Array | undefined, n: number): Column {
  const values = allocValues(type, n) as NumericArray;
  (values as Float64Array).set(vals.subarray(0, n));
  let nulls = 0;
  if (has) for (let g = 0; g < n; g++) nulls += has[g] ^ 1;
  return { type, length: n, values, valid: nulls > 0 ? has!.slice(0, n) : undefined, nullCount: nulls };
}
