/** The RLE / bit-packed hybrid decoder against hyparquet-writer's encoder, every bit width. */
import fc from 'fast-check';
import { ByteWriter } from 'hyparquet-writer';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { describe, expect, it } from 'vitest';
import { readHybrid } from '../../../io/parquet/rle.js';
import { bitPackedRuns, bitPackedRunsArb } from './gen.js';

describe('readHybrid', () => {
  it('decodes what a reference encoder wrote, for bit widths 1..24 and mixed runs', () => {
    fc.assert(fc.property(
      // hyparquet-writer's encoder itself drops bits above width 24
      fc.integer({ min: 1, max: 24 }).chain((w) => fc.tuple(
        fc.constant(w),
        // runs of repeated values (RLE) mixed with noise (bit-packed)
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** w - 1 }), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 30 }),
      )),
      ([w, runs]) => {
        const values: number[] = [];
        for (const [v, k] of runs) for (let i = 0; i < k; i++) values.push(k % 3 === 0 ? (v + i) % 2 ** w : v);
        const writer = new ByteWriter();
        writeRleBitPackedHybrid(writer, values, w);
        const bytes = writer.getBytes();
        const out = new Int32Array(values.length);
        readHybrid(bytes, 0, bytes.length, w, out, 0, values.length);
        expect(Array.from(out, (x) => x >>> 0)).toEqual(values);
      },
    ), { numRuns: 300 });
  });

  it('decodes bit-packed runs of widths 25..32, bit by bit', () => {
    fc.assert(fc.property(
      fc.integer({ min: 25, max: 32 }).chain((w) => fc.tuple(fc.constant(w), fc.array(fc.integer({ min: 0, max: 2 ** w - 1 }), { minLength: 1, maxLength: 50 }))),
      ([w, values]) => {
        const groups = Math.ceil(values.length / 8);
        const bytes = new Uint8Array(1 + groups * w);
        bytes[0] = groups * 2 + 1; // one bit-packed run (groups < 64 fits one varint byte)
        values.forEach((v, i) => {
          for (let b = 0; b < w; b++) {
            if (Math.floor(v / 2 ** b) % 2) { const bit = i * w + b; bytes[1 + (bit >> 3)] |= 1 << (bit & 7); }
          }
        });
        const out = new Int32Array(values.length);
        readHybrid(bytes, 0, bytes.length, w, out, 0, values.length);
        expect(Array.from(out, (x) => x >>> 0)).toEqual(values);
      },
    ), { numRuns: 100 });
  });

  it('decodes consecutive bit-packed runs (loads crossing into the next header keep only the run\'s bits)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 25 }).chain((w) => fc.tuple(fc.constant(w), bitPackedRunsArb(w))),
      ([w, runs]) => {
        const bytes = bitPackedRuns(runs, w), all = runs.flat();
        const out = new Int32Array(all.length);
        readHybrid(bytes, 0, bytes.length, w, out, 0, all.length);
        expect(Array.from(out, (x) => x >>> 0)).toEqual(all);
      },
    ), { numRuns: 300 });
  });

  it('throws instead of spinning on truncated or garbage input', () => {
    const out = new Int32Array(100);
    expect(() => readHybrid(new Uint8Array([0x80, 0x80]), 0, 2, 3, out, 0, 100)).toThrow();
    expect(() => readHybrid(new Uint8Array([0]), 0, 1, 3, out, 0, 100)).toThrow();
    expect(() => readHybrid(new Uint8Array(0), 0, 0, 5, out, 0, 100)).toThrow();
  });
});
