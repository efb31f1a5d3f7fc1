/** Malformed input: every failure is a ParseError naming file, line, byte offset and column; never a crash or a hang. */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IOError, ParseError, TesseraError } from '../../../core/errors.js';
import { readAll, tempDir, thrown } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

async function parseError(name: string, content: string | Uint8Array, opts = {}) {
  const p = t.file(name, content);
  const e = await thrown(readAll(p, opts));
  expect(e).toBeInstanceOf(ParseError);
  expect(e.code).toBe('PARSE_ERROR');
  expect(e.file).toBe(p);
  expect(e.message).toContain(name);
  return e;
}

// every error case is checked with one partition and with tiny ones, where the failing row is
// in a later partition whose line number must be recovered from the file
const blocks = [undefined, 3];

describe('CSV errors', () => {
  it('unterminated quote', async () => {
    for (const blocksize of blocks) {
      const e = await parseError('unterminated.csv', 'a,b\n1,2\n3,"abc\n4,5\n', { blocksize });
      expect(e.message).toMatch(/unterminated quoted field starting at line 3/);
      expect(e.line).toBe(3);
      expect(e.offset).toBe(10);
    }
  });

  it('wrong field count, too few and too many', async () => {
    for (const blocksize of blocks) {
      const few = await parseError('few.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n', { blocksize });
      expect(few.message).toMatch(/expected 3 fields, found 2 at line 3/);
      expect(few.line).toBe(3);
      const many = await parseError('many.csv', 'a,b\n1,"x\ny"\n1,2,3\n', { blocksize });
      expect(many.message).toMatch(/expected 2 fields, found 3 at line 4/);
      expect(many.offset).toBe(12);
    }
  });

  it('a value that does not parse as the column type names column, value, type and the fix', async () => {
    for (const blocksize of blocks) {
      const e = await parseError('badint.csv', 'a,b\n1,2\n3,x7\n', { schema: { b: 'int64' }, blocksize });
      expect(e.message).toMatch(/cannot parse "x7" as int64 in column "b" at line 3/);
      expect(e.message).toContain("schema: { b: 'utf8' }");
      expect(e.column).toBe('b');
      expect(e.line).toBe(3);
    }
    // inferred from the sample, contradicted later (past the 10k sampled rows)
    const rows = ['v'];
    for (let i = 0; i < 12_000; i++) rows.push(String(i));
    rows.push('1.5x');
    const late = await parseError('late.csv', rows.join('\n') + '\n', { blocksize: 1 << 14 });
    expect(late.message).toMatch(/"1\.5x" as int64 in column "v" at line 12002/);
    const range = await parseError('range.csv', 'a\n300\n', { schema: { a: 'uint8' } });
    expect(range.message).toMatch(/out of range/);
    const date = await parseError('date.csv', 'd\n2024-02-30\n', { schema: { d: 'date' } });
    expect(date.message).toMatch(/"2024-02-30" as date/);
  });

  it('stray quotes in an unquoted field and text after a closing quote', async () => {
    for (const blocksize of blocks) {
      const stray = await parseError('stray.csv', 'a,b\n1,2\n3,ab"c\n', { blocksize });
      expect(stray.message).toMatch(/quote character inside an unquoted field at line 3/);
      const after = await parseError('after.csv', 'a,b\n1,"ab"c\n', { blocksize });
      expect(after.message).toMatch(/after a closing quote at line 2/);
      // the first problem is reported, not the unterminated quote the stray one leads to
      const first = await parseError('first.csv', 'a,b\n1,2\n3,x"y\n4,"z\n5,6\n7\n', { blocksize });
      expect(first.message).toMatch(/quote character inside an unquoted field at line 3/);
    }
  });

  it('empty file', async () => {
    const e = await parseError('empty.csv', '');
    expect(e.message).toMatch(/empty file/);
    expect((await parseError('bom.csv', '\uFEFF')).message).toMatch(/empty file/);
    expect((await parseError('empty.csv.gz', gzipSync(''))).message).toMatch(/empty file/);
  });

  it('missing file and directory are IOErrors', async () => {
    const e = await thrown(readAll(t.file('nope.csv')));
    expect(e).toBeInstanceOf(IOError);
    expect(e.message).toContain('nope.csv');
    const d = await thrown(readAll(t.dir));
    expect(d).toBeInstanceOf(IOError);
    expect(d.message).toMatch(/directory/);
  });

  it('garbage bytes never crash or hang: rows or a TesseraError, for any partitioning', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ minLength: 1, maxLength: 400 }),
      fc.constantFrom(undefined, 1, 16, 97),
      fc.boolean(),
      async (bytes, blocksize, header) => {
        const p = t.file(`garbage-${n++}.bin`, bytes);
        try {
          await readAll(p, { blocksize, header });
        } catch (e) {
          expect(e).toBeInstanceOf(TesseraError);
        }
      }), { numRuns: 150 });
  });
});
