/** Output naming and schema of a join, and the checks on its keys. */
import { SchemaError } from '../../core/errors.js';
import { isNumericType, type DType, type Schema } from '../../core/types.js';
import { unknownColumn } from '../expr/typecheck.js';
import type { Join } from './nodes.js';

/**
 * Output name of every right column that is not a key: its own name, or `<name>_right` when
 * a left column (or an earlier output) already has it.
 */
export function joinRightNames(left: Schema, right: Schema, on: string[]): Record<string, string> {
  const taken = new Set(Object.keys(left));
  const names: Record<string, string> = {};
  for (const c of Object.keys(right)) {
    if (on.includes(c)) continue;
    let name = c;
    while (taken.has(name)) name = `${name}_right`;
    taken.add(name);
    names[c] = name;
  }
  return names;
}

const keyFamily = (t: DType): string => (isNumericType(t) ? 'number' : t);

/** The schema a join produces; rejects unknown or incomparable keys. */
export function joinSchema(j: Join, left: Schema, right: Schema): Schema {
  for (const k of j.on) {
    if (!(k in left)) throw unknownColumn(k, left);
    if (!(k in right)) throw unknownColumn(k, right);
    if (keyFamily(left[k]) !== keyFamily(right[k])) {
      throw new SchemaError(`join key "${k}" is ${left[k]} on the left and ${right[k]} on the right; cast one side (e.g. col('${k}').cast('${left[k]}'))`);
    }
  }
  const out: Schema = {};
  for (const [c, t] of Object.entries(left)) out[c] = j.how === 'outer' && j.on.includes(c) && t !== right[c] ? 'float64' : t;
  const names = j.rightNames ?? joinRightNames(left, right, j.on);
  for (const [c, t] of Object.entries(right)) if (!j.on.includes(c) && names[c] !== undefined) out[names[c]] = t;
  return out;
}
