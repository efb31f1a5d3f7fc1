/**
 * Schema inference for JSON lines, from the kinds seen in the sample (kinds.ts).
 *
 * Objects are flattened: `{"s": {"a": 1}}` gives a column `s.a` (a key that itself
 * contains a dot shares the column of the same dotted path). Numbers are int64 when every
 * sampled value is an integer within ±(2^53 - 1) written without fraction or exponent, else
 * float64; true/false is bool; strings utf8. Arrays, values of mixed kinds (a key that is
 * sometimes an object and sometimes not included), empty objects and keys seen only as
 * null are utf8, holding the JSON text of non-string values.
 */
import type { DType, Schema } from '../../core/types.js';
import { Kind, type KindNode } from './kinds.js';

function dtypeOf(kinds: number): DType {
  const k = kinds & ~Kind.Null;
  if (k === Kind.Int) return 'int64';
  if (k === Kind.Float || k === (Kind.Int | Kind.Float)) return 'float64';
  if (k === Kind.Bool) return 'bool';
  return 'utf8';
}

function flatten(children: Map<string, KindNode>, prefix: string, out: Map<string, number>): void {
  for (const [key, node] of children) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if ((node.kinds & ~Kind.Null) === Kind.Obj && node.children && node.children.size > 0) {
      flatten(node.children, name, out);
    } else {
      out.set(name, (out.get(name) ?? 0) | node.kinds);
    }
  }
}

/**
 * The inferred schema of the sampled keys, columns in order of first appearance (the keys
 * of a nested object together, in place of the object).
 * @example const root = new Map(); addKinds('{"n": 1, "s": {"a": "x"}}', root); inferSchema(root) // { n: 'int64', 's.a': 'utf8' }
 */
export function inferSchema(root: Map<string, KindNode>): Schema {
  const kinds = new Map<string, number>();
  flatten(root, '', kinds);
  const schema: Schema = {};
  for (const [name, k] of kinds) schema[name] = dtypeOf(k);
  return schema;
}
