/**
 * Golden explain plans: each case's optimized plan must equal test/explain/<name>.plan.
 * Run with UPDATE_GOLDEN=1 to rewrite the files after an intended planner change.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { flightsPath } from '../../datasets/flights.js';

const dir = join(import.meta.dirname, '.');
// explain() states operators' memory shares; a fixed limit keeps the plans machine-independent
ts.config({ memoryLimit: '1GiB' });
const flights = () => ts.readParquet(flightsPath());
const { col } = ts;

const cases: Record<string, () => string> = {
  'flights-groupby-filter': () => flights().filter(col('delay').gt(60)).groupBy('origin').agg({ n: ts.count(), d: col('delay').mean() }).sort('n', { descending: true }).head(5).explain(),
  'flights-pruned-by-stats': () => flights().filter(col('date').ge('2001-03-01').and(col('date').lt('2001-04-01'))).select('date', 'delay').explain(),
  'flights-projection-through-select': () => flights().select(col('delay').mul(2).alias('d2'), 'origin').filter(col('origin').eq('SFO')).explain(),
  'flights-constant-folding': () => flights().filter(ts.lit(1).add(1).eq(2).and(col('distance').gt(ts.lit(100).mul(10)))).select('distance').explain(),
  'flights-unoptimized': () => flights().filter(col('delay').gt(0)).select('origin').explain({ optimized: false }),
  'flights-no-pushdown': () => flights().filter(col('delay').gt(0)).select('origin').explain({ rules: { predicatePushdown: false } }),
  'flights-describe': () => flights().select('delay', 'distance').describe().explain(),
  'text-word-count': () => ts.readText(join(dir, '../../README.md')).select(col('line').str.lower().str.split(/[^\p{L}]+/u).explode().alias('w'))
    .filter(col('w').ne('')).groupBy('w').agg({ n: ts.count() }).sort('n', { descending: true }).head(10).explain(),
  'join-then-sort': () => flights().join(flights().select('origin', col('distance').alias('d')), { on: 'origin' }).filter(col('d').gt(100)).sort(['d', 'date']).explain(),
  'flights-scan-then-aggregate': () => flights().filter(col('origin').eq('SFO')).select(col('delay').cumSum().over('destination').alias('cs')).select(col('cs').max()).explain(),
};

describe('golden explain plans', () => {
  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      const got = make().split('\n').map((l, i) => `${String(i + 1).padStart(2)}| ${l}`).join('\n') + '\n';
      const file = join(dir, `${name}.plan`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, got);
      expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/explain`).toBe(true);
      expect(got).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('names an unknown rule', () => {
    expect(() => flights().explain({ rules: { noSuchRule: false } })).toThrow(/unknown optimizer rule "noSuchRule"/);
  });
});
