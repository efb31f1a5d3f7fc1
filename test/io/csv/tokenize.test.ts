/**
 * The tokenizer's word-at-a-time route for quote-free rows must give exactly what the byte
 * loop gives: the same field positions, flags, row count and the same first error, wherever
 * the buffer starts relative to a 4-byte boundary and however quoted, blank, CRLF and
 * malformed rows are mixed in between.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDialect } from '../../../io/csv/dialect.js';
import { CsvIssue } from '../../../io/csv/issue.js';
import { tokenize } from '../../../io/csv/tokenize.js';

const d = resolveDialect({});

/** A cell: text without delimiter, quote or line break, written quoted or not. */
const cellArb = fc.record({ text: fc.stringMatching(/^[ab1 é\r]{0,5}$/), quoted: fc.integer({ min: 0, max: 5 }).map((x) => x === 0) })
  .map(({ text, quoted }) => ({ text: quoted ? text : text.replace(/\r/g, ''), quoted }));

interface Expect { rows: [number, number, number][][]; error?: { kind: string; at: number } }

/**
 * Builds CSV text from rows (each a list of cells or a special line) and records what a
 * tokenizer must find in it, starting at byte `pad` of the buffer.
 */
function build(nFields: number, lines: ({ cells: { text: string; quoted: boolean }[] } | { blank: string })[], crlf: boolean, pad: number) {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [new Uint8Array(pad).fill(120)];
  let at = pad;
  const exp: Expect = { rows: [] };
  for (const line of lines) {
    const blank = 'blank' in line ? line.blank
      : line.cells.length === 1 && !line.cells[0].quoted && line.cells[0].text === '' ? (crlf ? '\r\n' : '\n') : undefined;
    if (blank !== undefined) {
      const b = enc.encode(blank);
      parts.push(b); at += b.length;
      continue;
    }
    const rowStart = at;
    const fields: [number, number, number][] = [];
    (line as { cells: { text: string; quoted: boolean }[] }).cells.forEach((c, i) => {
      if (i > 0) { parts.push(enc.encode(',')); at++; }
      const b = enc.encode(c.text);
      if (c.quoted) { parts.push(enc.encode('"'), b, enc.encode('"')); fields.push([at + 1, at + 1 + b.length, 1]); at += b.length + 2; }
      else { parts.push(b); fields.push([at, at + b.length, 0]); at += b.length; }
    });
    const eol = enc.encode(crlf ? '\r\n' : '\n');
    parts.push(eol); at += eol.length;
    if (exp.error) continue;
    if ((line as { cells: unknown[] }).cells.length !== nFields) exp.error = { kind: 'fields', at: rowStart };
    else exp.rows.push(fields);
  }
  parts.push(enc.encode('\n'));
  const all = new Uint8Array(at + 1);
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.length; }
  return { all, end: at, exp };
}

function run(all: Uint8Array, start: number, end: number, nFields: number, maxRows?: number) {
  // a buffer that starts `start` bytes into a pooled-like ArrayBuffer at any alignment
  const backing = new ArrayBuffer(all.length + 8);
  const shift = start % 4;
  const buf = Buffer.from(backing, shift, all.length);
  buf.set(all);
  const all1 = Int32Array.from({ length: nFields }, (_, i) => i);
  try {
    const idx = tokenize(buf, start, end, d, nFields, all1, nFields, maxRows);
    const rows: [number, number, number][][] = [];
    for (let r = 0; r < idx.rows; r++) {
      const row: [number, number, number][] = [];
      for (let s = 0; s < nFields; s++) {
        const k = r * nFields + s;
        row.push([idx.pos[2 * k], idx.pos[2 * k + 1], idx.flags ? idx.flags[k] : 0]);
      }
      rows.push(row);
    }
    return { rows, next: idx.next };
  } catch (e) {
    if (e instanceof CsvIssue) return { error: { kind: e.kind, at: e.at } };
    throw e;
  }
}

describe('tokenize fast route', () => {
  it('matches the expected fields and errors on mixed input (property)', () => {
    const lineArb = (n: number) => fc.oneof(
      { weight: 12, arbitrary: fc.array(cellArb, { minLength: n, maxLength: n }).map((cells) => ({ cells })) },
      { weight: 1, arbitrary: fc.array(cellArb, { minLength: 1, maxLength: n + 2 }).map((cells) => ({ cells })) },
      { weight: 1, arbitrary: fc.constantFrom('\n', '\r\n').map((blank) => ({ blank })) },
    );
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 5 }).chain((n) => fc.record({ n: fc.constant(n), lines: fc.array(lineArb(n), { maxLength: 40 }) })),
      fc.boolean(), fc.integer({ min: 0, max: 7 }),
      ({ n, lines }, crlf, pad) => {
        const { all, end, exp } = build(n, lines, crlf, pad);
        const got = run(all, pad, end, n);
        if (exp.error) {
          expect(got.error).toEqual(exp.error);
        } else {
          expect(got.error).toBeUndefined();
          expect(got.rows).toEqual(exp.rows);
        }
      }), { numRuns: 1500 });
  });

  it('reads long quote-free data across many windows, at every alignment, and honours maxRows', () => {
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) lines.push(`id${i % 97},${i},${'x'.repeat(i % 13)},${i * 0.5}`);
    // one row longer than a scan window, and one quoted row in the middle
    lines[5000] = `long,${'y'.repeat(40000)},z,1`;
    lines[12000] = '"q,1",2,"",4';
    const text = lines.join('\n') + '\n';
    for (let pad = 0; pad < 4; pad++) {
      const all = new Uint8Array(pad + text.length + 1);
      all.set(new TextEncoder().encode(text), pad);
      all[all.length - 1] = 10;
      const got = run(all, pad, all.length - 1, 4);
      expect(got.rows!.length).toBe(20000);
      const str = (s: number, e: number) => Buffer.from(all.subarray(s, e)).toString();
      for (const i of [0, 1, 4999, 5000, 5001, 11999, 12000, 12001, 19999]) {
        const want = i === 12000 ? ['q,1', '2', '', '4'] : lines[i].split(',');
        expect(got.rows![i].map(([s, e]) => str(s, e))).toEqual(want);
      }
      const some = run(all, pad, all.length - 1, 4, 7777);
      expect(some.rows!.length).toBe(7777);
      expect(some.next).toBe(pad + lines.slice(0, 7777).join('\n').length + 1);
    }
  });

  it('reports a wrong field count in quote-free data at the row start', () => {
    const text = 'a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n';
    const all = new TextEncoder().encode(text + '\n');
    expect(run(all, 0, text.length, 3).error).toEqual({ kind: 'fields', at: 12 });
    const few = 'a,b,c\n1,2\n';
    expect(run(new TextEncoder().encode(few + '\n'), 0, few.length, 3).error).toEqual({ kind: 'fields', at: 6 });
  });
});
