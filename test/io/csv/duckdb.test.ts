/** The reader against DuckDB's read_csv on a generated file with every type, nulls and awkward text. */
import { afterAll, describe, expect, it } from 'vitest';
import { duck } from '../../util/duck.js';
import { formatDate, formatTimestamp } from '../../../io/sinks/csv.js';
import { readAll, tempDir } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['plain', 'with,comma', 'with "quotes"', 'line\nbreak', 'crlf\r\nbreak', 'ünïcödé ✓', ' spaced ', '', '1.5', 'true'];

function generate(rows: number, seed: number): string {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = ['id,f,s,b,d,ts,n'];
  for (let i = 0; i < rows; i++) {
    const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
    const f = pick([String(v), v.toFixed(3), v.toExponential(4), v.toPrecision(19), String(Math.round(v)), 'NaN', '-Infinity']);
    const w = pick(WORDS);
    const s = w === '' ? pick(['', '""']) : /[,"\r\n]/.test(w) || rnd() < 0.2 ? q(w) : w;
    const b = pick(['true', 'false', 'TRUE', '']);
    const days = Math.floor(rnd() * 40000) - 5000;
    const d = rnd() < 0.1 ? '' : formatDate(days);
    const micros = Math.floor(rnd() * 3e15) - 1e15;
    const ts = rnd() < 0.1 ? '' : formatTimestamp(rnd() < 0.5 ? micros : Math.floor(micros / 1e6) * 1e6).replace(' ', pick([' ', 'T']));
    const n = rnd() < 0.3 ? '' : String(Math.floor((rnd() - 0.5) * 2 ** 53));
    lines.push([i, f, s, b, d, ts, n].join(','));
  }
  return lines.join(pick(['\n', '\r\n'])) + '\n';
}

describe('CSV reader vs DuckDB read_csv', () => {
  it('same types and same values, whatever the partitioning', async () => {
    const p = t.file('gen.csv', generate(4000, 11));
    const types = "{'id': 'BIGINT', 'f': 'DOUBLE', 's': 'VARCHAR', 'b': 'BOOLEAN', 'd': 'DATE', 'ts': 'TIMESTAMP', 'n': 'BIGINT'}";
    // quoted empty strings stay strings in Tessera: DuckDB's allow_quoted_nulls=false
    const want = await duck(`SELECT * FROM read_csv('${p}', header = true, columns = ${types}, allow_quoted_nulls = false)`);
    for (const blocksize of [1 << 20, 4096, 301]) {
      const { info, rows } = await readAll(p, { blocksize });
      expect(info.schema).toEqual({ id: 'int64', f: 'float64', s: 'utf8', b: 'bool', d: 'date', ts: 'timestamp', n: 'int64' });
      expect(rows.length).toBe(want.length);
      for (let i = 0; i < rows.length; i++) expect(rows[i], `row ${i}`).toEqual(want[i]);
    }
  });

  it("DuckDB's auto-detection agrees on a plain numeric file (h2o G1 shape)", async () => {
    const rnd = mulberry32(3);
    const lines = ['id1,id2,id3,id4,id5,id6,v1,v2,v3'];
    for (let i = 0; i < 3000; i++) {
      const r = (k: number) => 1 + Math.floor(rnd() * k);
      lines.push(`id${String(r(100)).padStart(3, '0')},id${String(r(100)).padStart(3, '0')},id${String(r(1000)).padStart(10, '0')},${r(100)},${r(100)},${r(1000)},${r(5)},${r(15)},${(rnd() * 100).toFixed(6)}`);
    }
    const p = t.file('g1.csv', lines.join('\n') + '\n');
    const want = await duck(`SELECT * FROM read_csv('${p}')`);
    const { info, rows } = await readAll(p, { blocksize: 8192 });
    expect(info.schema).toEqual({ id1: 'utf8', id2: 'utf8', id3: 'utf8', id4: 'int64', id5: 'int64', id6: 'int64', v1: 'int64', v2: 'int64', v3: 'float64' });
    expect(rows).toEqual(want);
  });
});
