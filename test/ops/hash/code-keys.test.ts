/**
 * Grouping one batch by dictionary codes: with a code space no larger than the batch the codes
 * are the group ids (sparse), and only groups with rows reach the partial, in first-appearance order.
 */
import { describe, expect, it } from 'vitest';
import type { Column } from '../../../core/types.js';
import { utf8FromStrings } from '../../../ops/column/build.js';
import { HashAggregator } from '../../../ops/kernels/aggregate/index.js';
import { CodeKeyTable } from '../../../ops/kernels/hash/code-keys.js';
import { toRows } from '../aggregate/gen.js';

const dictColumn = (codes: number[], dict: string[], valid?: number[]): Column => ({
  type: 'utf8', length: codes.length, values: Int32Array.from(codes), nullCount: valid ? valid.filter((v) => !v).length : 0,
  ...(valid ? { valid: Uint8Array.from(valid) } : {}), dictionary: utf8FromStrings(dict),
});

describe('CodeKeyTable', () => {
  it('numbers groups by their codes when the code space fits the batch, listing the live ones in first-appearance order', () => {
    const key = dictColumn([2, 0, 2, 2, 0, 2], ['a', 'unused', 'c']);
    const t = new CodeKeyTable();
    const ids = t.groupIds([key], 6);
    expect([...ids]).toEqual([2, 0, 2, 2, 0, 2]);
    expect(t.size).toBe(4); // three entries and the null code
    expect([...t.liveGroups()!]).toEqual([2, 0]);
    expect(t.keyColumns()[0].length).toBe(2);
  });

  it('maps codes to dense ids when the code space is larger than the batch', () => {
    const key = dictColumn([5, 1, 5], ['a', 'b', 'c', 'd', 'e', 'f']);
    const t = new CodeKeyTable();
    expect([...t.groupIds([key], 3)]).toEqual([0, 1, 0]);
    expect(t.size).toBe(2);
    expect(t.liveGroups()).toBeUndefined();
  });

  it('partials by sparse codes hold only the groups with rows, null keys and two keys included', () => {
    // code space (3 + 1) x (2 + 1) = 12 = rows: grouped by sparse codes
    const k1 = dictColumn([1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1], ['x', 'y', 'z'], [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    const k2 = dictColumn([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], ['p', 'q']);
    const t = new CodeKeyTable();
    t.groupIds([k1, k2], 12);
    expect([...t.liveGroups()!]).toEqual([1, 0, 1 + 4, 3 + 4]); // k1 code (null = 3) + 4 x k2 code
    const v: Column = { type: 'int32', length: 12, values: Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 10), nullCount: 0 };
    const plan = { keys: ['k1', 'k2'], keyTypes: ['utf8', 'utf8'] as const, aggs: [{ fn: 'sum' as const, input: 'v', output: 's' }, { fn: 'countAll' as const, output: 'n' }], inputTypes: { v: 'int32' as const } };
    const coordinator = new HashAggregator({ ...plan, keyTypes: [...plan.keyTypes] });
    coordinator.combine(HashAggregator.partialOf({ ...plan, keyTypes: [...plan.keyTypes] }, { length: 12, columns: { k1, k2, v } }));
    expect(toRows(coordinator.finalize())).toEqual([
      { k1: 'y', k2: 'p', s: 1 + 5 + 6 + 8 + 10, n: 8 },
      { k1: 'x', k2: 'p', s: 2 + 7, n: 2 },
      { k1: 'y', k2: 'q', s: 3, n: 1 },
      { k1: null, k2: 'q', s: 4, n: 1 },
    ]);
  });
});
