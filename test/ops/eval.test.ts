/** Property tests: vectorised expression kernels equal a row-at-a-time reference. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Batch } from '../../core/types.js';
import type { BinaryOp, ExprNode } from '../../core/expr/node.js';
import { numericFromValues, utf8FromStrings, valueAt } from '../../ops/column/build.js';
import { evalExpr } from '../../ops/kernels/eval/index.js';
import { filterBatch } from '../../ops/kernels/filter/filter.js';
import { concatBatches, sliceBatch } from '../../ops/column/take.js';

const num = fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null });
const str = fc.option(fc.string({ maxLength: 6 }), { nil: null });
const rows = fc.array(fc.record({ x: num, y: num, s: str }), { minLength: 0, maxLength: 60 });

const batchOf = (rs: { x: number | null; y: number | null; s: string | null }[]): Batch => ({
  length: rs.length,
  columns: { x: numericFromValues('int64', rs.map((r) => r.x)), y: numericFromValues('int64', rs.map((r) => r.y)), s: utf8FromStrings(rs.map((r) => r.s)) },
});
const col = (name: string): ExprNode => ({ k: 'col', name });
const ref: Record<string, (a: number, b: number) => number | boolean> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b,
  gt: (a, b) => a > b, ge: (a, b) => a >= b, lt: (a, b) => a < b, le: (a, b) => a <= b, eq: (a, b) => a === b, ne: (a, b) => a !== b,
};

describe('expression kernels', () => {
  it('binary ops over columns and scalars propagate nulls like SQL', () => {
    fc.assert(fc.property(rows, fc.constantFrom(...Object.keys(ref)), fc.integer({ min: -5, max: 5 }), (rs, op, k) => {
      const b = batchOf(rs);
      const cc = evalExpr({ k: 'bin', op: op as BinaryOp, l: col('x'), r: col('y') }, b);
      const cs = evalExpr({ k: 'bin', op: op as BinaryOp, l: col('x'), r: { k: 'lit', value: k } }, b);
      rs.forEach((r, i) => {
        const want = r.x === null || r.y === null ? null : ref[op](r.x, r.y);
        expect(valueAt(cc, i)).toEqual(want);
        expect(valueAt(cs, i)).toEqual(r.x === null ? null : ref[op](r.x, k));
      });
    }));
  });

  it('string comparison is code point order; filter keeps exactly the true rows in order', () => {
    fc.assert(fc.property(rows, fc.string({ maxLength: 3 }), (rs, lit) => {
      const b = batchOf(rs);
      const m = evalExpr({ k: 'bin', op: 'lt', l: col('s'), r: { k: 'lit', value: lit } }, b);
      const cp = (a: string, z: string) => { const x = [...a].map((c) => c.codePointAt(0)!), y = [...z].map((c) => c.codePointAt(0)!); for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i]; return x.length - y.length; };
      const kept = filterBatch(b, m);
      const want = rs.filter((r) => r.s !== null && cp(r.s, lit) < 0);
      expect(kept.length).toBe(want.length);
      want.forEach((r, i) => expect(valueAt(kept.columns.s, i)).toBe(r.s));
    }));
  });

  it('slice + concat is the identity', () => {
    fc.assert(fc.property(rows, fc.nat(), (rs, cut) => {
      const b = batchOf(rs);
      const c = rs.length ? cut % (rs.length + 1) : 0;
      const back = concatBatches([sliceBatch(b, 0, c), sliceBatch(b, c, rs.length)]);
      for (let i = 0; i < rs.length; i++) for (const k of ['x', 'y', 's']) expect(valueAt(back.columns[k], i)).toEqual(valueAt(b.columns[k], i));
    }));
  });
});
