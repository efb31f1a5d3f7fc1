import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Batch } from '../../../core/types.js';
import { numericFromValues, utf8FromStrings } from '../../../ops/column/build.js';
import { sliceBatch } from '../../../ops/column/take.js';
import { HashAggregator, type AggSpec } from '../../../ops/kernels/aggregate/index.js';
import { duck } from '../../util/duck.js';
import { toRows } from './gen.js';
import type { Row } from './reference.js';

/** Deterministic pseudo-random numbers so the table is the same on every run. */
function rng(seed: number): () => number {
  let s = seed;
  return () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
}

const N = 6000;

function table(): { rows: Row[]; batch: Batch } {
  const r = rng(7);
  const rows: Row[] = [];
  for (let i = 0; i < N; i++) {
    const maybe = <T>(v: T, p = 0.1): T | null => (r() < p ? null : v);
    rows.push({
      rn: i,
      g: maybe(`id${String(1 + Math.floor(r() * 40)).padStart(3, '0')}`, 0.02),
      h: maybe(Math.floor(r() * 5) - 2, 0.05),
      f: maybe(Math.round((r() - 0.3) * 1e6) / 1000),
      i: maybe(Math.floor(r() * 2000) - 1000),
      s: maybe(['alpha', 'beta', 'gamma', 'délta', 'Épsilon', 'z'][Math.floor(r() * 6)] + (r() < 0.5 ? '' : 'x')),
    });
  }
  const col = (k: string) => rows.map((x) => x[k]);
  const batch: Batch = { length: N, columns: {
    g: utf8FromStrings(col('g') as (string | null)[]), h: numericFromValues('int32', col('h')),
    f: numericFromValues('float64', col('f')), i: numericFromValues('int32', col('i')), s: utf8FromStrings(col('s') as (string | null)[]),
  } };
  return { rows, batch };
}

/** Our aggregate, the DuckDB expression for it. first/last are DuckDB's first/last of non-null values in row order. */
const AGGS: [AggSpec, string][] = [
  [{ fn: 'countAll', output: 'n' }, 'count(*)'],
  [{ fn: 'count', input: 'f', output: 'cf' }, 'count(f)'],
  [{ fn: 'sum', input: 'f', output: 'sf' }, 'sum(f)'],
  [{ fn: 'sum', input: 'i', output: 'si' }, 'sum(i)'],
  [{ fn: 'mean', input: 'f', output: 'mf' }, 'avg(f)'],
  [{ fn: 'min', input: 'f', output: 'minf' }, 'min(f)'],
  [{ fn: 'max', input: 'i', output: 'maxi' }, 'max(i)'],
  [{ fn: 'min', input: 's', output: 'mins' }, 'min(s)'],
  [{ fn: 'max', input: 's', output: 'maxs' }, 'max(s)'],
  [{ fn: 'nUnique', input: 's', output: 'nus' }, 'count(DISTINCT s)'],
  [{ fn: 'nUnique', input: 'i', output: 'nui' }, 'count(DISTINCT i)'],
  [{ fn: 'std', input: 'f', output: 'stdf' }, 'stddev_samp(f)'],
  [{ fn: 'var', input: 'i', output: 'vari' }, 'var_samp(i)'],
  [{ fn: 'var', input: 'f', output: 'varpf', ddof: 0 }, 'var_pop(f)'],
  [{ fn: 'first', input: 'f', output: 'firstf' }, 'first(f ORDER BY rn) FILTER (WHERE f IS NOT NULL)'],
  [{ fn: 'last', input: 's', output: 'lasts' }, 'last(s ORDER BY rn) FILTER (WHERE s IS NOT NULL)'],
];

/** Rows sorted by their keys, floats compared to 1e-9 relative (sums run in different orders). */
function expectSameRows(actual: Row[], expected: Row[], keys: string[]): void {
  const byKey = (rows: Row[]) => [...rows].sort((a, b) => (JSON.stringify(keys.map((k) => a[k])) < JSON.stringify(keys.map((k) => b[k])) ? -1 : 1));
  const [act, exp] = [byKey(actual), byKey(expected)];
  expect(act.length).toBe(exp.length);
  exp.forEach((e, j) => {
    for (const [k, v] of Object.entries(e)) {
      const a = act[j][k];
      if (typeof v === 'number' && typeof a === 'number' && !Number.isInteger(v)) {
        expect(Math.abs(a - v), `${k} in ${JSON.stringify(e)}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
      } else expect([k, a]).toEqual([k, v]);
    }
  });
}

describe('HashAggregator vs DuckDB', () => {
  it('group by with every aggregate equals DuckDB on a generated table', async () => {
    const { rows, batch } = table();
    const csv = join(tmpdir(), `tessera-agg-${process.pid}.csv`);
    const cell = (v: unknown) => (v === null ? '' : String(v));
    writeFileSync(csv, 'rn,g,h,f,i,s\n' + rows.map((r) => ['rn', 'g', 'h', 'f', 'i', 's'].map((k) => cell(r[k])).join(',')).join('\n') + '\n');
    await duck(`CREATE OR REPLACE TABLE agg_t AS SELECT * FROM read_csv('${csv}', header = true, columns = {'rn': 'INTEGER', 'g': 'VARCHAR', 'h': 'INTEGER', 'f': 'DOUBLE', 'i': 'INTEGER', 's': 'VARCHAR'})`);
    for (const keys of [['g'], ['g', 'h'], []]) {
      const select = [...keys, ...AGGS.map(([a, sql]) => `${sql} AS ${a.output}`)].join(', ');
      const expected = await duck(`SELECT ${select} FROM agg_t${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''}`);
      const plan = { keys, keyTypes: keys.map((k) => batch.columns[k].type), aggs: AGGS.map(([a]) => a), inputTypes: { f: 'float64' as const, i: 'int32' as const, s: 'utf8' as const } };
      const coord = new HashAggregator(plan);
      for (let s = 0; s < N; s += 1700) {
        const local = new HashAggregator(plan);
        local.sink(sliceBatch(batch, s, Math.min(N, s + 1700)));
        coord.combine(local.toPartial());
      }
      expectSameRows(toRows(coord.finalize()), expected as Row[], keys);
    }
  });
});
