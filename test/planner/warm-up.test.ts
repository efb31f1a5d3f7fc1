/**
 * The warm-up that `ts.startWorkers` runs (core/warm-up.ts): it runs its report in each
 * format that has a sample, shows nothing to event listeners, removes its files, never
 * throws, and leaves the pool ready for the next query.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { warmUp, warmUpSample } from '../../core/warm-up.js';

const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith('tessera-warm-up-'));

afterAll(() => ts.shutdown());

describe('warm-up', () => {
  it('has a fixed synthetic sample: string keys, an integer column, a float column with nulls', () => {
    const a = warmUpSample(), b = warmUpSample();
    expect(a.schema).toEqual({ k1: 'utf8', k2: 'utf8', i: 'int32', x: 'float64' });
    expect(a.batch.length).toBe(65_536);
    expect(Array.from(a.batch.columns.i.values.subarray(0, 100))).toEqual(Array.from(b.batch.columns.i.values.subarray(0, 100)));
    expect(a.batch.columns.x.nullCount).toBeGreaterThan(0);
    expect(a.batch.columns.x.nullCount).toBeLessThan(65_536 / 10);
    const i = a.batch.columns.i.values as Int32Array;
    expect(Math.min(...i)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...i)).toBeLessThan(1000);
    const k1 = a.batch.columns.k1, k2 = a.batch.columns.k2;
    const distinct = (c: typeof k1) => new Set(Array.from({ length: c.length }, (_, r) => Buffer.from((c.values as Uint8Array).subarray(c.offsets![r], c.offsets![r + 1])).toString())).size;
    expect(distinct(k1)).toBe(64);
    expect(distinct(k2)).toBe(48);
  });

  it('runs its report over Parquet and CSV on the threads without events or files left, and the pool answers next', async () => {
    const before = leftovers().length;
    const seen: string[] = [];
    const off = ts.events.subscribe((e) => seen.push(e.type));
    try {
      expect(await warmUp(['parquet', 'csv', 'arrow'], 2)).toEqual(['parquet', 'csv']);
    } finally {
      off();
    }
    expect(seen).toEqual([]);
    expect(leftovers().length).toBe(before);
    const t = await ts.fromColumns({ k: ['a', 'b', 'a'], v: [1, 2, 3] }).groupBy('k').agg({ s: ts.col('v').sum() })
      .sort('k').collect({ scheduler: 'threads', workers: 2 });
    expect(ts.toRows(t)).toEqual([{ k: 'a', s: 4 }, { k: 'b', s: 2 }]);
  });

  it('runs once per format and pool through startWorkers; a pool of another size warms up again', async () => {
    expect(await ts.startWorkers({ workers: 2, formats: ['parquet'] })).toEqual({ warmedUp: ['parquet'] });
    expect(await ts.startWorkers({ workers: 2, formats: ['parquet'] })).toEqual({ warmedUp: [] });
    expect(await ts.startWorkers({ workers: 2, formats: ['csv', 'parquet', 'text'] })).toEqual({ warmedUp: ['csv'] });
    expect(await ts.startWorkers({ workers: 2, formats: ['parquet'], warmUp: false })).toEqual({ warmedUp: [] });
    expect(await ts.startWorkers({ workers: 1, formats: ['parquet'] })).toEqual({ warmedUp: ['parquet'] });
  });

  it('does nothing for formats without a sample', async () => {
    expect(await warmUp(['arrow', 'text'], 2)).toEqual([]);
  });

  it('never throws: without a usable temporary directory it runs nothing', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/tessera-test-dir';
    try {
      expect(await warmUp(['parquet'], 2)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
