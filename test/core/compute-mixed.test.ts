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

  it('outputs over the same aggregate share one run of it, and each gets its own answer', async () => {
    const df = ts.fromColumns({ k: ['a', 'b', 'a', 'c'], v: [1, 2, 3, 4] }, { chunkRows: 2 });
    const agg = df.groupBy('k').agg({ s: ts.col('v').sum() });
    const seen: string[] = [];
    const off = ts.events.subscribe((e) => { if (e.type === 'operator-finished') seen.push(e.operator); });
    try {
      const [top, all, again] = await ts.compute(agg.sort('s', { descending: true }).head(1), agg.select(ts.col('s').sum().alias('t')), agg, { scheduler: 'sync' });
      expect(toRows(top)).toEqual([{ k: 'a', s: 4 }]);
      expect(toRows(all)).toEqual([{ t: 10 }]);
      expect(toRows(again)).toEqual([{ k: 'a', s: 4 }, { k: 'b', s: 2 }, { k: 'c', s: 4 }]);
    } finally {
      off();
    }
    expect(seen.filter((o) => o === 'aggregate by k')).toHaveLength(1);
  });

  it('rejects arguments that are not outputs', async () => {
    await expect(ts.compute(ts.fromColumns({ x: [1] }), 42 as never, {})).rejects.toThrow(/argument 2 is not a LazyFrame, LazyArray, Bag or delayed task/);
  });

  it('a frame built from a bag collects without an explicit bag run', async () => {
    const df = ts.bag.fromItems([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]).toDataFrame();
    expect(toRows(await df.filter(ts.col('a').gt(1)).collect({ scheduler: 'sync' }))).toEqual([{ a: 2, b: 'y' }]);
  });
});
