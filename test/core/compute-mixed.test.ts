import { describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { toRows } from '../../core/rows.js';

describe('compute() over several kinds of output', () => {
  it('returns frames, bags, bag items, delayed tasks and arrays in argument order', async () => {
    const df = ts.fromColumns({ k: ['a', 'b', 'a'], v: [1, 2, 3] });
    const b = ts.bag.fromItems([1, 2, 3, 4], { partitions: 2 }).map((x: number, ctx: { k: number }) => x * ctx.k, { context: { k: 10 } });
    const inc = ts.delayed((x: number) => x + 1);
    const [frame, items, n, task, arr] = await ts.compute(
      df.groupBy('k').agg({ s: ts.col('v').sum() }), b, b.count(), inc(inc(1)), ts.array.arange(4, { chunks: 2 }).sum(),
      { scheduler: 'sync' },
    );
    expect(toRows(frame)).toEqual([{ k: 'a', s: 4 }, { k: 'b', s: 2 }]);
    expect(items).toEqual([10, 20, 30, 40]);
    expect(n).toBe(4);
    expect(task).toBe(3);
    expect(Array.from(arr.data)).toEqual([6]);
  });

  it('rejects arguments that are not outputs', async () => {
    await expect(ts.compute(ts.fromColumns({ x: [1] }), 42 as never, {})).rejects.toThrow(/argument 2 is not a LazyFrame, LazyArray, Bag or delayed task/);
  });

  it('a frame built from a bag collects without an explicit bag run', async () => {
    const df = ts.bag.fromItems([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]).toDataFrame();
    expect(toRows(await df.filter(ts.col('a').gt(1)).collect({ scheduler: 'sync' }))).toEqual([{ a: 2, b: 'y' }]);
  });
});
