/**
 * The G1 generator: reproducible bytes, the h2o value domains, and a Parquet twin that holds
 * exactly the CSV's rows (checked through DuckDB, which reads both independently).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { G1_HEADER, g1Groups, writeG1Csv, writeG1Parquet } from '../../datasets/g1.js';
import { ensureG1, g1Stem, shortCount } from '../../datasets/g1-files.js';
import { duck } from '../util/duck.js';

const ROWS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'g1-test-'));
const csv = join(dir, 'a.csv');
const pq = join(dir, 'a.parquet');

beforeAll(async () => {
  await writeG1Csv(csv, { rows: ROWS, seed: 42 });
  await writeG1Parquet(pq, { rows: ROWS, seed: 42 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeG1Csv', () => {
  it('writes identical bytes for the same seed and different bytes for another seed', async () => {
    const again = join(dir, 'again.csv');
    const other = join(dir, 'other.csv');
    await writeG1Csv(again, { rows: ROWS, seed: 42 });
    await writeG1Csv(other, { rows: ROWS, seed: 43 });
    expect(readFileSync(again).equals(readFileSync(csv))).toBe(true);
    expect(readFileSync(other).equals(readFileSync(csv))).toBe(false);
  });

  it('writes the header and one line per row', () => {
    const lines = readFileSync(csv, 'latin1').split('\n');
    expect(lines[0]).toBe(G1_HEADER);
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(ROWS);
  });

  it('keeps every value in its h2o domain and format', () => {
    const groups = g1Groups(ROWS);
    const shape = /^id(\d{3}),id(\d{3}),id(\d{10}),(\d+),(\d+),(\d+),(\d),(\d+),(\d+)\.\d{6}$/;
    const seen = { id1: new Set<number>(), id3: new Set<number>(), v1: new Set<number>(), v2: new Set<number>() };
    const bad: string[] = [];
    const inRange = (v: number, hi: number) => v >= 1 && v <= hi;
    for (const line of readFileSync(csv, 'latin1').split('\n').slice(1, -1)) {
      const m = shape.exec(line);
      if (!m) {
        bad.push(line);
        continue;
      }
      const [id1, id2, id3, id4, id5, id6, v1, v2, v3int] = m.slice(1).map(Number);
      const ok = [id1, id2, id4, id5].every((v) => inRange(v, 100)) && [id3, id6].every((v) => inRange(v, groups))
        && inRange(v1, 5) && inRange(v2, 15) && v3int <= 100;
      if (!ok) bad.push(line);
      seen.id1.add(id1); seen.id3.add(id3); seen.v1.add(v1); seen.v2.add(v2);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect([seen.id1.size, seen.id3.size, seen.v1.size, seen.v2.size]).toEqual([100, groups, 5, 15]);
  });

  it('writes nothing under the final name when the parameters are invalid', async () => {
    const bad = join(dir, 'bad.csv');
    await expect(writeG1Csv(bad, { rows: -1, seed: 1 })).rejects.toThrow(/rows/);
    expect(() => statSync(bad)).toThrow();
  });
});

describe('G1 through DuckDB', () => {
  const src = { csv: `read_csv('${csv}')`, parquet: `read_parquet('${pq}')` };

  it('DuckDB infers the h2o types from the CSV', async () => {
    const cols = await duck(`DESCRIBE SELECT * FROM ${src.csv}`);
    expect(cols.map((c) => `${String(c.column_name)}:${String(c.column_type)}`)).toEqual([
      'id1:VARCHAR', 'id2:VARCHAR', 'id3:VARCHAR', 'id4:BIGINT', 'id5:BIGINT', 'id6:BIGINT', 'v1:BIGINT', 'v2:BIGINT', 'v3:DOUBLE',
    ]);
  });

  it('the Parquet file has the documented physical types', async () => {
    const cols = await duck(`SELECT name, type FROM parquet_schema('${pq}') WHERE type IS NOT NULL`);
    expect(Object.fromEntries(cols.map((c) => [c.name, c.type]))).toEqual({
      id1: 'BYTE_ARRAY', id2: 'BYTE_ARRAY', id3: 'BYTE_ARRAY',
      id4: 'INT32', id5: 'INT32', id6: 'INT32', v1: 'INT32', v2: 'INT32', v3: 'DOUBLE',
    });
  });

  it('the Parquet file holds the same rows as the CSV', async () => {
    const whole = (from: string) => duck(
      `SELECT count(*) n, count(DISTINCT id3) g, sum(v1) v1, sum(v2) v2, round(sum(v3), 6) v3, sum(id4 * 7 + id5 * 3 + id6) ids, ` +
      `min(id1) lo, max(id2) hi, min(v3) v3min, max(v3) v3max FROM ${from}`);
    const byKey = (from: string) => duck(`SELECT id3, sum(v1) v1, round(sum(v3), 6) v3 FROM ${from} GROUP BY id3 ORDER BY id3`);
    expect(await whole(src.parquet)).toEqual(await whole(src.csv));
    expect(await byKey(src.parquet)).toEqual(await byKey(src.csv));
    const [w] = await whole(src.csv);
    expect(w.n).toBe(ROWS);
    expect(w.g).toBe(g1Groups(ROWS));
  });
});

describe('named G1 files', () => {
  it('encode rows and seed in the h2o naming style', () => {
    expect([shortCount(1e7), shortCount(2e5), shortCount(100), shortCount(12345)]).toEqual(['1e7', '2e5', '1e2', '12345']);
    expect(g1Stem({ rows: 1e7, seed: 1 })).toBe('G1_1e7_1e2_0_0_s1');
  });

  it('are generated once and then reused', async () => {
    const sub = join(dir, 'cache');
    const first = await ensureG1(sub, { rows: 1000, seed: 3 });
    const mtime = statSync(first.csv).mtimeMs;
    const msgs: string[] = [];
    const second = await ensureG1(sub, { rows: 1000, seed: 3 }, (m) => msgs.push(m));
    expect(second).toEqual(first);
    expect(statSync(second.csv).mtimeMs).toBe(mtime);
    expect(msgs.every((m) => m.startsWith('exists'))).toBe(true);
  });
});
