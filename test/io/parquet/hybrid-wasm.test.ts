/** The WebAssembly hybrid decoder against the JS one (./rle.test.ts checks that against an encoder). */
import fc from 'fast-check';
import { ByteWriter } from 'hyparquet-writer';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { describe, expect, it } from 'vitest';
import { decodeIndices, wasmIndices } from '../../../io/parquet/hybrid-wasm.js';
import { readHybrid } from '../../../io/parquet/rle.js';
import { withScratch } from '../../../io/scratch.js';
import { inKernelMemory } from '../../../ops/kernels/wasm/memory.js';
import { bitPackedRuns, bitPackedRunsArb } from './gen.js';

/** Values as runs of repeats (RLE) mixed with noise (bit-packed), at least 256 of them. */
const valuesOf = (w: number) => fc.array(
  fc.tuple(fc.integer({ min: 0, max: 2 ** w - 1 }), fc.integer({ min: 1, max: 120 })), { minLength: 1, maxLength: 40 },
).map((runs) => {
  const values: number[] = [];
  while (values.length < 256) for (const [v, k] of runs) for (let i = 0; i < k; i++) values.push(k % 3 === 0 ? (v + i * 7) % 2 ** w : v);
  return values;
});

function encode(values: number[], w: number): Uint8Array {
  const writer = new ByteWriter();
  writeRleBitPackedHybrid(writer, values, w);
  return writer.getBytes();
}

/** What a decoder did: the values and end position, or the error's message. */
function outcome(f: (out: Int32Array) => number, n: number): { values: number[]; end: number } | { error: string } {
  const out = new Int32Array(n + 2);
  try {
    const end = f(out);
    return { values: Array.from(out), end };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('wasmIndices', () => {
  it('decodes well-formed pages itself, as readHybrid does, widths 1..24 (RLE and bit-packed runs)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 24 }).chain((w) => fc.tuple(fc.constant(w), valuesOf(w), fc.integer({ min: 0, max: 2 }))),
      ([w, values, at]) => {
        const bytes = encode(values, w), n = values.length;
        const js = new Int32Array(n + 2), wa = new Int32Array(n + 2);
        const jsEnd = readHybrid(bytes, 0, bytes.length, w, js, at, n, 2 ** w);
        const waEnd = wasmIndices(bytes, 0, bytes.length, w, wa, at, n, 2 ** w);
        expect(waEnd).toBe(jsEnd);
        expect(wa).toEqual(js);
      },
    ), { numRuns: 300 });
  });

  it('decodes consecutive bit-packed runs of widths 1..32 (values up to 2^32 - 1)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 32 }).chain((w) => fc.tuple(fc.constant(w), bitPackedRunsArb(w))),
      ([w, given]) => {
        // a last run of 256 values: the kernel takes pages of 256 values or more
        const runs = [...given, Array.from({ length: 256 }, (_, i) => (i * 2654435761) % 2 ** w)];
        const all = runs.flat();
        const bytes = bitPackedRuns(runs, w);
        const out = new Int32Array(all.length);
        expect(wasmIndices(bytes, 0, bytes.length, w, out, 0, all.length, 2 ** 32)).toBe(bytes.length);
        expect(Array.from(out, (x) => x >>> 0)).toEqual(all);
      },
    ), { numRuns: 200 });
  });

  it('leaves out-of-range values, truncated and corrupt pages to readHybrid, which decodes or rejects them the same way', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 20 }).chain((w) => fc.tuple(fc.constant(w), valuesOf(w),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), fc.integer({ min: 1, max: 2 ** 20 }))),
      ([w, values, edits, cut, limit]) => {
        const bytes = encode(values, w);
        for (const [i, b] of edits) bytes[i % bytes.length] = b;
        const end = bytes.length - (cut % 3 === 0 ? cut % Math.min(bytes.length, 40) : 0);
        const n = values.length;
        const js = outcome((out) => readHybrid(bytes, 0, end, w, out, 1, n, limit), n);
        const both = outcome((out) => decodeIndices(bytes, 0, end, w, out, 1, n, limit), n);
        expect(both).toEqual(js);
      },
    ), { numRuns: 500 });
  });

  it('does not take what it cannot check: a value at the limit, a page cut inside a bit-packed run', () => {
    const values = Array.from({ length: 512 }, (_, i) => (i * 37) % 100);
    const bytes = encode(values, 7);
    const out = new Int32Array(512);
    expect(wasmIndices(bytes, 0, bytes.length, 7, out, 0, 512, 100)).toBe(bytes.length);
    expect(wasmIndices(bytes, 0, bytes.length, 7, out, 0, 512, 99)).toBe(-1);
    expect(() => decodeIndices(bytes, 0, bytes.length, 7, out, 0, 512, 99)).toThrow(/index 99 out of range/);
    expect(wasmIndices(bytes, 0, bytes.length - 3, 7, out, 0, 512, 100)).toBe(-1);
  });
});

describe('decoding into the kernel memory', () => {
  it('writes straight into a reused code array and matches readHybrid', async () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 3 : (i * 31) % 300));
    const bytes = encode(values, 9);
    const want = new Int32Array(values.length);
    readHybrid(bytes, 0, bytes.length, 9, want, 0, values.length, 300);
    await withScratch(async (alloc) => {
      const codes = alloc.int32(values.length);
      expect(inKernelMemory(codes)).toBe(true);
      expect(wasmIndices(bytes, 0, bytes.length, 9, codes, 0, values.length, 300)).toBe(bytes.length);
      expect(codes).toEqual(want);
      // a value out of range: the JS decoder's error, whatever the kernel wrote
      expect(() => decodeIndices(bytes, 0, bytes.length, 9, codes, 0, values.length, 299)).toThrow(/out of range/);
    });
  });
});
