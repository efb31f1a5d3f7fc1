/**
 * The SIMD scan finds exactly the delimiters and line feeds a byte loop finds, and tokenizing
 * bytes in the scanner's memory gives the same field index as tokenizing a plain copy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDialect } from '../../../io/csv/dialect.js';
import { csvScanner, MAX_SCAN, pagePhase } from '../../../io/csv/scan-wasm.js';
import { tokenize } from '../../../io/csv/tokenize.js';

const scanner = csvScanner()!;

describe('SIMD CSV scan', () => {
  it('is available on this Node and matches a byte loop at any offset and length (property)', () => {
    expect(scanner).toBeDefined();
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.nat(31), fc.constantFrom(44, 59, 9, 124), (raw, lead, delim) => {
      // bias the bytes towards delimiters and line feeds
      const bytes = raw.map((b) => (b % 4 === 0 ? delim : b % 4 === 1 ? 10 : b));
      const buf = scanner.scratch(lead + bytes.length + 16);
      buf.set(bytes, lead);
      const p = lead, stop = lead + Math.min(bytes.length, MAX_SCAN);
      const nd = scanner.scan(buf.byteOffset + p, buf.byteOffset + stop, delim, buf.byteOffset);
      const d: number[] = [], l: number[] = [];
      for (let i = p; i < stop; i++) { if (buf[i] === delim) d.push(i); else if (buf[i] === 10) l.push(i); }
      expect([...scanner.delims.subarray(0, nd)]).toEqual(d);
      expect([...scanner.lfs.subarray(0, scanner.lfCount())]).toEqual(l);
    }), { numRuns: 400 });
  });

  it('tokenizing in the scanner memory and in a plain buffer give the same fields', () => {
    const d = resolveDialect({});
    const rows: string[] = [];
    for (let i = 0; i < 5000; i++) rows.push(i % 97 === 0 ? `"q,${i}",${i},x\r` : `id${i % 13},${i * 7},${'z'.repeat(i % 40)}`);
    const text = Buffer.from(rows.join('\n') + '\n');
    const plain = Buffer.alloc(text.length + 1); text.copy(plain); plain[text.length] = 10;
    const inWasm = scanner.scratch(text.length + 1); text.copy(inWasm); inWasm[text.length] = 10;
    const slotOf = Int32Array.of(0, 1, 2);
    const a = tokenize(plain, 0, text.length, d, 3, slotOf, 3);
    const b = tokenize(inWasm, 0, text.length, d, 3, slotOf, 3);
    expect(b.rows).toBe(5000);
    expect([...b.pos.subarray(0, 6 * b.rows)]).toEqual([...a.pos.subarray(0, 6 * a.rows)]);
    expect(b.flags && [...b.flags]).toEqual(a.flags && [...a.flags]);
  });

  it('places a scratch buffer for a file read at the file offset\'s position within a page', () => {
    // the memory's base address is page-aligned, so the byte offset is the address's phase
    for (const at of [0, 1, 4095, 4096, 12345, (1 << 24) - 1, 3 * 2 ** 33 + 7]) {
      const buf = scanner.scratch(1 << 16, at);
      expect(buf.length).toBe(1 << 16);
      expect(buf.byteOffset % 4096).toBe(at % 4096);
      expect(pagePhase(at)).toBe(at % 4096);
    }
    expect(scanner.scratch(100).byteOffset % 4096).toBe(0);
  });
});
