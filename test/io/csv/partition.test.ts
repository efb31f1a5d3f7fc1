/**
 * Partitioning: whatever the blocksize, the nominal partitions tile the file and give the same
 * rows as one partition, with quoted delimiters, doubled quotes and newlines, whether read in
 * order with the right quote parity or speculatively (parity 0) and checked by the stage.
 */
import fc from 'fast-check';
import { statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../../core/index.js';
import { toRows } from '../../../core/rows.js';
import { readAll, tempDir } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

/** A cell: its text and whether it is written quoted. */
interface Cell { text: string; quoted: boolean }

const cellArb = fc.record({
  text: fc.stringMatching(/^[ab,"\n\r é]{0,6}$/),
  quoted: fc.boolean(),
}).map(({ text, quoted }): Cell => ({ text, quoted: quoted || /[,"\n\r]/.test(text) }));

const tableArb = fc.integer({ min: 1, max: 4 }).chain((cols) => fc.record({
  cols: fc.constant(cols),
  rows: fc.array(fc.array(cellArb, { minLength: cols, maxLength: cols }), { minLength: 0, maxLength: 25 }),
  crlf: fc.boolean(),
  header: fc.boolean(),
}));

function toCsv(cols: number, rows: Cell[][], crlf: boolean, header: boolean): string {
  const eol = crlf ? '\r\n' : '\n';
  const lines = rows.map((r) => r.map((c) => (c.quoted ? `"${c.text.replace(/"/g, '""')}"` : c.text)).join(','));
  if (header) lines.unshift(Array.from({ length: cols }, (_, i) => `c${i}`).join(','));
  return lines.map((l) => l + eol).join('');
}

/** What the reader should return: unquoted empty cells are null (in one-column data, an empty line is such a row). */
function expected(rows: Cell[][], names: string[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(r.map((c, i) => [names[i], !c.quoted && c.text === '' ? null : c.text])));
}

let n = 0;

describe('partitioning at row boundaries', () => {
  it('every blocksize gives the rows of a single partition, read in order and through the engine (property)', async () => {
    await fc.assert(fc.asyncProperty(tableArb, fc.integer({ min: 1, max: 80 }), async ({ cols, rows, crlf, header }, blocksize) => {
      const text = toCsv(cols, rows, crlf, header);
      const p = t.file(`prop-${n++}.csv`, text);
      const names = Array.from({ length: cols }, (_, i) => (header ? `c${i}` : `column_${i + 1}`));
      const schema = Object.fromEntries(names.map((k) => [k, 'utf8' as const]));
      if (text === '') return;
      const one = await readAll(p, { header, schema, blocksize: 1 << 20 });
      const many = await readAll(p, { header, schema, blocksize });
      expect(many.rows).toEqual(one.rows);
      expect(one.rows).toEqual(expected(rows, names));
      expect(toRows(await ts.readCsv(p, { header, schema, blocksize }).collect({ scheduler: 'sync' }))).toEqual(one.rows);
      const ranges = many.info.partitions.map((q) => [q.start, q.end]);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1]);
      expect(ranges[ranges.length - 1][1]).toBe(statSync(p).size);
    }), { numRuns: 250 });
  });

  it('a quoted newline right at a nominal cut never splits a row: read in order, and through the engine (speculative reads checked and redone)', async () => {
    const text = 'a,b\n' + '1,"x\ny\nz"\n'.repeat(50);
    const p = t.file('nl.csv', text);
    for (let bs = 1; bs < 30; bs++) {
      const { rows } = await readAll(p, { blocksize: bs });
      expect(rows.length).toBe(50);
      expect(rows.every((r) => r.b === 'x\ny\nz')).toBe(true);
      for (const scheduler of ['sync', 'threads'] as const) {
        const got = toRows(await ts.readCsv(p, { blocksize: bs }).collect({ scheduler, workers: 2 }));
        expect(got.length).toBe(50);
        expect(got.every((r) => r.b === 'x\ny\nz')).toBe(true);
      }
    }
  });

  it('cuts a larger file across read chunks at ~blocksize, first partition after the header', async () => {
    const lines = ['id,text'];
    for (let i = 0; i < 40_000; i++) lines.push(i % 3 ? `${i},plain ${i}` : `${i},"q ""${i}"",\n${i}"`);
    const text = lines.join('\n') + '\n';
    const p = t.file('larger.csv');
    writeFileSync(p, text);
    const bs = 64 << 10;
    const { info, rows } = await readAll(p, { blocksize: bs });
    expect(info.partitions[0].start).toBe(8);
    expect(info.partitions[0].firstLine).toBe(2);
    expect(info.partitions.length).toBeGreaterThan(10);
    for (const q of info.partitions.slice(0, -1)) expect(q.end! - q.start!).toBe(bs);
    expect(rows.length).toBe(40_000);
    expect(rows[3]).toEqual({ id: 3, text: 'q "3",\n3' });
    // through the engine, where partitions are read speculatively and those that guessed wrong are read again
    const got = toRows(await ts.readCsv(p, { blocksize: bs }).collect({ scheduler: 'threads', workers: 2 }));
    expect(got).toEqual(rows);
  });
});
