/** bag.toDataFrame(): lazy, columns from objects / tuples / scalars, types inferred like fromColumns. */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { col } from '../../core/expr/expr.js';
import { SchemaError, WorkerError } from '../../core/errors.js';
import { toRows } from '../../core/rows.js';
import { bag, materializeBagSources, shutdownBagWorkers } from '../../core/bag/index.js';
import { itemColumns } from '../../core/bag/frame.js';
import type { LazyFrame } from '../../core/lazyframe.js';

afterAll(() => shutdownBagWorkers());

/** Whether queries compute bag sources on their own (io/catalog.ts calls the source's materialize hook). */
const hooked = readFileSync(new URL('../../io/catalog.ts', import.meta.url), 'utf8').includes('materialize');

async function rows(df: LazyFrame): Promise<Record<string, unknown>[]> {
  await materializeBagSources([df.plan]);
  return toRows(await df.collect());
}

describe('bag.toDataFrame', () => {
  it('objects become columns by key (all keys seen, or the given ones), missing values null', async () => {
    const b = bag.fromItems([{ id: 1, name: 'a' }, { id: 2, score: 0.5 }, { id: 3, name: 'c', score: 2 }], { partitions: 2 });
    const df = b.toDataFrame();
    expect(await rows(df)).toEqual([{ id: 1, name: 'a', score: null }, { id: 2, name: null, score: 0.5 }, { id: 3, name: 'c', score: 2 }]);
    expect(await df.schema()).toEqual({ id: 'int64', name: 'utf8', score: 'float64' });
    expect(await rows(b.toDataFrame(['score', 'id']))).toEqual([{ score: null, id: 1 }, { score: 0.5, id: 2 }, { score: 2, id: 3 }]);
  });

  it('tuples take the given names (default "0", "1", ...), scalars one column', async () => {
    const words = bag.fromItems(['b', 'a', 'b', 'c', 'b'], { partitions: 3 });
    expect(await rows(words.frequencies().toDataFrame(['word', 'n']))).toEqual([{ word: 'b', n: 3 }, { word: 'a', n: 1 }, { word: 'c', n: 1 }]);
    expect(await rows(words.frequencies().toDataFrame())).toEqual([{ 0: 'b', 1: 3 }, { 0: 'a', 1: 1 }, { 0: 'c', 1: 1 }]);
    expect(await rows(bag.fromItems([true, false, null]).toDataFrame())).toEqual([{ value: true }, { value: false }, { value: null }]);
    expect(await rows(bag.fromItems([1.5, 2]).toDataFrame(['x']))).toEqual([{ x: 1.5 }, { x: 2 }]);
  });

  it('is lazy: nothing runs until the frame does, and a frame built on it plans like any other', async () => {
    const b = bag.fromItems([1, 2, 3, 4], { partitions: 2 }).map((x: number) => { if (x === 3) throw new Error('three'); return { x }; });
    const df = b.toDataFrame();
    await expect(materializeBagSources([df.plan])).rejects.toThrow(WorkerError);
    const good = bag.fromItems([1, 2, 3, 4], { partitions: 2 }).map((x: number) => ({ x, even: x % 2 === 0 })).toDataFrame();
    const q = good.filter(col('even')).select(col('x').mul(10).alias('y'));
    await materializeBagSources([q.plan]);
    expect(toRows(await q.collect({ scheduler: 'sync' }))).toEqual([{ y: 20 }, { y: 40 }]);
    expect(toRows(await good.groupBy('even').agg({ n: col('x').count() }).collect())).toEqual([{ even: false, n: 2 }, { even: true, n: 2 }]);
  });

  it.skipIf(!hooked)('collect() and schema() compute the bag themselves', async () => {
    const df = bag.fromItems([{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 3 }]).toDataFrame();
    expect(await df.schema()).toEqual({ k: 'utf8', v: 'int64' });
    expect(toRows(await df.groupBy('k').agg({ s: col('v').sum() }).collect())).toEqual([{ k: 'a', s: 4 }, { k: 'b', s: 2 }]);
  });

  it('mixed shapes and nested values are SchemaErrors', async () => {
    expect(() => itemColumns([{ a: 1 }, [1]])).toThrow(SchemaError);
    expect(() => itemColumns([1, 2], ['a', 'b'])).toThrow(/one column/);
    await expect(materializeBagSources([bag.fromItems([{ a: { nested: 1 } }]).toDataFrame().plan])).rejects.toThrow(/bag\.toDataFrame\(\).*"a"/);
    expect(itemColumns([])).toEqual({ value: [] });
  });
});
