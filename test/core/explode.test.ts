import { describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { toRows } from '../../core/rows.js';
import { PlanError, SchemaError } from '../../core/errors.js';

const ids = [1, 2, 3, 4, 5];
const texts = ['a,b', '', null, 'Héllo wörld, Ünïcode!', ',x,,y,'];
const df = () => ts.fromColumns({ id: ids, s: texts }, { chunkRows: 2 });

/** Reference: JS split per row, null rows dropped, other columns repeated. */
function reference(sep: string | RegExp, lower = false): { id: number; w: string }[] {
  const out: { id: number; w: string }[] = [];
  texts.forEach((t, i) => {
    if (t === null) return;
    for (const w of (lower ? t.toLowerCase() : t).split(sep)) out.push({ id: ids[i], w });
  });
  return out;
}

describe('str.split().explode()', () => {
  for (const scheduler of ['sync', 'threads'] as const) {
    it(`literal separator keeps empty pieces, repeats other columns (${scheduler})`, async () => {
      const t = await df().select('id', ts.col('s').str.split(',').explode().alias('w')).collect({ scheduler, workers: 2 });
      expect(toRows(t)).toEqual(reference(','));
    });
    it(`regex separator over non-ASCII text, then filter and count (${scheduler})`, async () => {
      const q = df().select('id', ts.col('s').str.lower().str.split(/[^\p{L}]+/u).explode().alias('w'));
      expect(toRows(await q.collect({ scheduler, workers: 2 }))).toEqual(reference(/[^\p{L}]+/u, true));
      const counts = toRows(await q.filter(ts.col('w').ne('')).valueCounts('w').collect({ scheduler, workers: 2 }));
      const ref = new Map<string, number>();
      for (const { w } of reference(/[^\p{L}]+/u, true)) if (w !== '') ref.set(w, (ref.get(w) ?? 0) + 1);
      expect(new Map(counts.map((r) => [r.w as string, r.count as number]))).toEqual(ref);
    });
  }

  it('a filter on another column is pushed below the explode, one on the pieces stays above', () => {
    const plan = df().select('id', ts.col('s').str.split(',').explode().alias('w')).filter(ts.col('id').gt(1).and(ts.col('w').ne(''))).explain();
    const lines = plan.split('\n');
    const explodeAt = lines.findIndex((l) => l.trimStart().startsWith('Explode'));
    expect(explodeAt).toBeGreaterThan(0);
    expect(lines[explodeAt - 1]).toContain('Filter (w != "")');
    expect(lines[explodeAt + 1]).toContain('filters=[(id > 1)]');
  });

  it('rejects misuse with typed errors', () => {
    expect(() => df().select(ts.col('s').str.split(',').explode().str.len())).toThrow(PlanError);
    expect(() => df().select(ts.col('s').str.split(',').explode(), ts.col('s').str.split(' ').explode().alias('t'))).toThrow(PlanError);
    expect(() => ts.col('s').explode()).toThrow(PlanError);
    expect(() => ts.col('s').str.split(/(,)/)).toThrow(PlanError);
    expect(() => df().filter(ts.col('s').str.split(',').explode().eq('a'))).toThrow(PlanError);
    return expect(df().select(ts.col('s').str.split(',')).collect({ scheduler: 'sync' })).rejects.toThrow(SchemaError);
  });

  it('type-checks the split input', async () => {
    await expect(df().select(ts.col('id').str.split(',').explode()).collect({ scheduler: 'sync' })).rejects.toThrow(/str.split needs utf8/);
  });
});
