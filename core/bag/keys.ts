/**
 * Keys of arbitrary JS values: equality by value (items crossing threads are copies, so
 * identity means nothing), ordering for topk, field access for pluck and key specs.
 */
import { rebuildFunction } from '../udf/rebuild.js';
import { userError, type ItemLocation } from '../udf/user-error.js';
import type { FieldKey, KeySpec } from './plan.js';

/**
 * A string that is equal for equal values: arrays element by element, plain objects by sorted
 * keys, dates by time, typed arrays, maps and sets by content. Used for objects only; primitives
 * are their own keys (see {@link ValueIndex}).
 * @example canonicalKey({ b: 1, a: [1, 'x'] }) === canonicalKey({ a: [1, 'x'], b: 1 }) // true
 */
export function canonicalKey(v: unknown): string {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Object.is(v, -0) ? '0' : String(v);
    case 'bigint': return `${v}n`;
    case 'boolean': case 'undefined': case 'symbol': return String(v);
    case 'function': return `function:${v.toString()}`;
    default: break;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`;
  if (v instanceof Date) return `Date(${v.getTime()})`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${Array.from(v as unknown as ArrayLike<unknown>, canonicalKey).join(',')})`;
  if (v instanceof Map) return `Map(${[...v].map(([k, x]) => `${canonicalKey(k)}=>${canonicalKey(x)}`).join(',')})`;
  if (v instanceof Set) return `Set(${[...v].map(canonicalKey).join(',')})`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalKey(o[k])}`).join(',')}}`;
}

/**
 * Index of distinct values in first-appearance order. Primitives key a Map directly (fast;
 * 0 and -0, NaN and NaN are equal as in `Map`); objects go through {@link canonicalKey}.
 * @example
 * const ix = new ValueIndex<number>(); ix.slot([1]); ix.slot([1]) // same slot
 */
export class ValueIndex<S> {
  private readonly prim = new Map<unknown, number>();
  private readonly obj = new Map<string, number>();
  readonly entries: S[] = [];

  /** The slot of `v`, created with `make()` when `v` is new. */
  slot(v: unknown, make: () => S): S {
    const isObj = v !== null && typeof v === 'object';
    const k = isObj ? canonicalKey(v) : v;
    const m = (isObj ? this.obj : this.prim) as Map<unknown, number>;
    const i = m.get(k);
    if (i !== undefined) return this.entries[i];
    const s = make();
    m.set(k, this.entries.length);
    this.entries.push(s);
    return s;
  }
}

const typeRank = (v: unknown): number =>
  v === null || v === undefined ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' || typeof v === 'bigint' || v instanceof Date ? 2
    : typeof v === 'string' ? 3 : Array.isArray(v) ? 4 : 5;

/**
 * Total order for topk keys: numbers (NaN lowest), bigints and dates numerically, strings by code
 * unit, arrays lexicographically (tuples), values of different kinds by kind
 * (nullish < boolean < number < string < array < other).
 * @example compareKeys([1, 'b'], [1, 'a']) // 1
 */
export function compareKeys(a: unknown, b: unknown): number {
  const ra = typeRank(a), rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra === 2) {
    const x = a instanceof Date ? a.getTime() : (a as number), y = b instanceof Date ? b.getTime() : (b as number);
    if (x !== x) return y !== y ? 0 : -1; // NaN lowest
    if (y !== y) return 1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ra === 1 || ra === 3) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ra === 4) {
    const x = a as unknown[], y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) { const c = compareKeys(x[i], y[i]); if (c) return c; }
    return x.length - y.length;
  }
  return 0;
}

/**
 * `x[key]`, or a tuple for a list of keys. A nullish item has no fields: TypeError.
 * @example getField({ a: 1, b: 2 }, ['b', 'a']) // [2, 1]
 */
export function getField(x: unknown, key: FieldKey): unknown {
  if (x === null || x === undefined) throw new TypeError(`cannot read field ${JSON.stringify(key)} of ${x}`);
  const o = x as Record<string | number, unknown>;
  return Array.isArray(key) ? key.map((k) => o[k]) : o[key];
}

/**
 * The key extractor for a reduction; failures become WorkerErrors naming the spec's label.
 * @example const key = keyFunction({ label: 'topk key', field: 'n' }, at); key({ n: 3 }) // 3
 */
export function keyFunction(spec: KeySpec | undefined, at?: ItemLocation): (x: unknown) => unknown {
  if (!spec) return (x) => x;
  if ('field' in spec) {
    return (x) => { try { return getField(x, spec.field); } catch (e) { throw userError(spec.label, x, at, e); } };
  }
  const f = rebuildFunction(spec.fn);
  return (x) => { try { return f(x, spec.context); } catch (e) { throw userError(spec.label, x, at, e); } };
}
