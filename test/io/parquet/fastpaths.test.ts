/**
 * The decoder's fast paths: width-specialised bit unpacking with the dictionary bound
 * checked on the fly, definition levels that are never materialised when a page has no
 * nulls, dictionary codes decoded straight into the output, pages adopted as the column.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Batch, Column, Schema } from '../../../core/types.js';
import { parquetReader } from '../../../io/parquet/index.js';
import { allOnes, readBits, readHybrid } from '../../../io/parquet/rle.js';
import { openParquetSink } from '../../../io/sinks/parquet.js';
import type { SourceSpec } from '../../../io/source.js';
import { numericFromValues, utf8FromStrings, valueAt } from '../../../ops/column/build.js';
import { tempDir } from './util.js';

/** One run of the hybrid encoding: `rle` repeats values[0]; otherwise values are bit-packed. */
interface Run { rle: boolean; values: number[] }

function varint(out: number[], v: number): void {
  while (v >= 0x80) { out.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); }
  out.push(v);
}

/**
 * Encodes runs bit by bit (the spec's definition, independent of the decoder's tricks);
 * `cut` drops that many trailing bytes of the last bit-packed run, whose missing bits the
 * decoder must read as zeros.
 */
function encode(runs: Run[], width: number, cut = 0): Uint8Array {
  const out: number[] = [];
  for (const r of runs) {
    if (r.rle) {
      varint(out, r.values.length * 2);
      for (let i = 0; i < (width + 7) >> 3; i++) out.push(Math.floor(r.values[0] / 2 ** (8 * i)) % 256);
    } else {
      const groups = Math.ceil(r.values.length / 8);
      varint(out, groups * 2 + 1);
      const bytes = new Array<number>(groups * width).fill(0);
      r.values.forEach((v, i) => {
        for (let b = 0; b < width; b++) {
          if (Math.floor(v / 2 ** b) % 2) { const bit = i * width + b; bytes[bit >> 3] |= 1 << (bit & 7); }
        }
      });
      out.push(...bytes);
    }
  }
  return new Uint8Array(out.slice(0, out.length - cut));
}

const runArb = (width: number): fc.Arbitrary<Run> => fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 2 ** width - 1 }), fc.integer({ min: 1, max: 300 }))
    .map(([v, n]): Run => ({ rle: true, values: new Array<number>(n).fill(v) })),
  // whole groups of 8 (the decoder's unrolled loop) and odd lengths (the last run of a page)
  fc.array(fc.integer({ min: 0, max: 2 ** width - 1 }), { minLength: 1, maxLength: 300 })
    .map((values): Run => ({ rle: false, values })),
);

/** Values as the decoder must return them: a bit-packed run's padding is not output, except at the end. */
function expected(runs: Run[]): number[] {
  return runs.flatMap((r) => r.values);
}

describe('readHybrid fast paths', () => {
  it('decodes mixed RLE and bit-packed runs for every width 1..32, at any output offset', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 32 }).chain((w) => fc.tuple(
        fc.constant(w),
        // bit-packed runs other than the last hold whole groups of 8
        fc.array(runArb(w), { minLength: 1, maxLength: 8 }).map((rs) => rs.map((r, i): Run => (r.rle || i === rs.length - 1 ? r : { rle: false, values: [...r.values, ...new Array<number>((8 - (r.values.length % 8)) % 8).fill(0)] }))),
        fc.integer({ min: 0, max: 5 }),
      )),
      ([w, runs, at]) => {
        const bytes = encode(runs, w);
        const want = expected(runs);
        const out = new Int32Array(at + want.length + 3).fill(-7);
        const end = readHybrid(bytes, 0, bytes.length, w, out, at, want.length);
        expect(end).toBe(bytes.length);
        expect(Array.from(out.subarray(at, at + want.length), (x) => x >>> 0)).toEqual(want);
        expect(Array.from(out.subarray(0, at))).toEqual(new Array(at).fill(-7));
        expect(Array.from(out.subarray(at + want.length))).toEqual([-7, -7, -7]);
      },
    ), { numRuns: 400 });
  });

  it('reads missing trailing bytes of a truncated bit-packed run as zeros', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 32 }).chain((w) => fc.tuple(
        fc.constant(w),
        fc.array(fc.integer({ min: 0, max: 2 ** w - 1 }), { minLength: 8, maxLength: 200 }),
        fc.integer({ min: 1, max: 6 }),
      )),
      ([w, values, cutWanted]) => {
        const run: Run = { rle: false, values };
        const full = encode([run], w);
        const cut = Math.min(cutWanted, full.length - 2);
        const bytes = encode([run], w, cut);
        // the reference: the same run with the cut bytes zeroed
        const padded = new Uint8Array(full.length);
        padded.set(bytes);
        const want = new Int32Array(values.length);
        readHybrid(padded, 0, padded.length, w, want, 0, values.length);
        const got = new Int32Array(values.length);
        readHybrid(bytes, 0, bytes.length, w, got, 0, values.length);
        expect(Array.from(got)).toEqual(Array.from(want));
        // and bytes past `end` inside the buffer are ignored too
        const noisy = new Uint8Array(full.length).fill(0xff);
        noisy.set(bytes);
        const got2 = new Int32Array(values.length);
        readHybrid(noisy, 0, bytes.length, w, got2, 0, values.length);
        expect(Array.from(got2)).toEqual(Array.from(want));
      },
    ), { numRuns: 200 });
  });

  it('rejects any value at or above the limit, in RLE runs, unrolled groups and run tails', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 32 }).chain((w) => fc.tuple(
        fc.constant(w),
        fc.array(runArb(w), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 2 ** w }),
      )),
      ([w, runs, limit]) => {
        // every run but the last padded to whole groups, as a writer does
        const rs = runs.map((r, i): Run => (r.rle || i === runs.length - 1 ? r : { rle: false, values: [...r.values, ...new Array<number>((8 - (r.values.length % 8)) % 8).fill(0)] }));
        const bytes = encode(rs, w);
        const want = expected(rs);
        const max = Math.max(...want);
        const out = new Int32Array(want.length);
        const run = () => readHybrid(bytes, 0, bytes.length, w, out, 0, want.length, limit);
        if (max >= limit) expect(run).toThrow(/out of range/);
        else {
          run();
          expect(Array.from(out, (x) => x >>> 0)).toEqual(want);
        }
      },
    ), { numRuns: 400 });
  });

  it('width 0 is all zeros, and out of range for an empty dictionary', () => {
    const out = new Int32Array(4).fill(9);
    readHybrid(new Uint8Array(0), 0, 0, 0, out, 1, 2, 3);
    expect(Array.from(out)).toEqual([9, 0, 0, 9]);
    expect(() => readHybrid(new Uint8Array(0), 0, 0, 0, out, 0, 2, 0)).toThrow(/out of range/);
  });
});

describe('definition levels', () => {
  it('readBits decodes mixed runs of 0s and 1s and counts the 1s', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(
        fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 100 })).map(([v, n]): Run => ({ rle: true, values: new Array<number>(n).fill(v) })),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 20 }).map((v): Run => ({ rle: false, values: [...v, ...new Array<number>((8 - (v.length % 8)) % 8).fill(0)] })),
      ), { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 0, max: 3 }),
      (runs, at) => {
        const bytes = encode(runs, 1);
        const want = expected(runs);
        const out = new Uint8Array(at + want.length);
        const ones = readBits(bytes, 0, bytes.length, out, at, want.length);
        expect(Array.from(out.subarray(at))).toEqual(want);
        expect(ones).toBe(want.filter((x) => x === 1).length);
        expect(allOnes(bytes, 0, bytes.length, want.length)).toBe(runs.length === 1 && runs[0].rle && want[0] === 1);
      },
    ), { numRuns: 300 });
  });

  it('allOnes needs one run of 1s covering every value; readBits rejects levels above 1', () => {
    const ones = encode([{ rle: true, values: new Array<number>(1000).fill(1) }], 1);
    expect(allOnes(ones, 0, ones.length, 1000)).toBe(true);
    expect(allOnes(ones, 0, ones.length, 999)).toBe(true);
    expect(allOnes(ones, 0, ones.length, 1001)).toBe(false);
    expect(allOnes(ones, 0, ones.length - 1, 1000)).toBe(false); // value byte missing
    expect(allOnes(new Uint8Array(0), 0, 0, 1)).toBe(false);
    const two = encode([{ rle: true, values: [2, 2, 2] }], 1);
    expect(allOnes(two, 0, two.length, 3)).toBe(false);
    expect(() => readBits(two, 0, two.length, new Uint8Array(3), 0, 3)).toThrow(/level 2/);
  });
});

describe('pages with and without nulls, end to end', () => {
  const dir = tempDir('pq-fast');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const spec = (path: string): SourceSpec => ({ format: 'parquet', paths: [path], options: {} });

  // enough rows for several data pages per column chunk (pages are cut at about 1 MiB)
  const N = 240_000;
  const keys = Array.from({ length: 37 }, (_, i) => `key-${i}-${'x'.repeat(i % 9)}`);
  const f64 = (nullIf: (i: number) => boolean) => Array.from({ length: N }, (_, i) => (nullIf(i) ? null : i * 0.25 - 1000));
  const str = (nullIf: (i: number) => boolean) => Array.from({ length: N }, (_, i) => (nullIf(i) ? null : keys[(i * 7) % keys.length]));
  const data: Record<string, (number | string | null)[]> = {
    none: f64(() => false),
    late: f64((i) => i >= 200_000 && i % 3 === 0),
    early: f64((i) => i < 1000 && i % 2 === 0),
    k_none: str(() => false),
    k_late: str((i) => i >= 150_000 && i % 5 === 0),
    k_early: str((i) => i < 500 && i % 4 === 1),
  };
  const schema: Schema = { none: 'float64', late: 'float64', early: 'float64', k_none: 'utf8', k_late: 'utf8', k_early: 'utf8' };
  const file = join(dir, 'pages.parquet');

  async function write(): Promise<void> {
    const columns: Record<string, Column> = {};
    for (const [name, t] of Object.entries(schema)) {
      columns[name] = t === 'utf8' ? utf8FromStrings(data[name] as (string | null)[]) : numericFromValues('float64', data[name] as (number | null)[]);
    }
    const batch: Batch = { length: N, columns };
    const s = await openParquetSink(file, schema, {});
    await s.write(batch);
    await s.close();
  }

  const valueOf = (c: Column, i: number) => {
    if (c.valid && c.valid[i] === 0) return null;
    return c.dictionary ? valueAt(c.dictionary, c.values[i]) : valueAt(c, i);
  };

  function check(b: Batch, names: string[], from: number): void {
    for (const n of names) {
      const c = b.columns[n];
      const want = data[n];
      let bad = -1, nulls = 0;
      for (let i = 0; i < b.length && bad < 0; i++) {
        if (want[from + i] === null) nulls++;
        if (valueOf(c, i) !== want[from + i]) bad = i;
      }
      // the first differing row, if any (deep-equal on whole columns is too slow here)
      expect(bad < 0 ? null : { row: from + bad, got: valueOf(c, bad), want: want[from + bad] }, n).toBeNull();
      expect(c.nullCount, n).toBe(nulls);
      // a column without nulls carries no validity bytes
      if (nulls === 0) expect(c.valid, n).toBeUndefined();
    }
  }

  it('reads plain, dictionary and dictionary-coded columns whose pages differ in having nulls', async () => {
    await write();
    const info = await parquetReader.describe(spec(file));
    const names = Object.keys(schema);
    for (const dictionary of [[], ['k_none', 'k_late', 'k_early']]) {
      let from = 0;
      for (const p of info.partitions) {
        const b = await parquetReader.read(spec(file), p, names, info.schema, { dictionary });
        check(b, names, from);
        if (dictionary.length) for (const k of dictionary) expect(b.columns[k].dictionary, k).toBeDefined();
        from += b.length;
      }
      expect(from).toBe(N);
    }
  });

  it('keeps dictionary codes across pages with and without nulls', async () => {
    // dictionary-coded pages are cut at 2^20 rows, so this chunk has two data pages
    const M = (1 << 20) + 5000;
    const cols: Record<string, (string | null)[]> = {
      second: Array.from({ length: M }, (_, i) => (i >= 1 << 20 && i % 3 === 0 ? null : keys[i % keys.length])),
      first: Array.from({ length: M }, (_, i) => (i < 100 && i % 3 === 0 ? null : keys[(i * 5) % keys.length])),
    };
    const f = join(dir, 'two-pages.parquet');
    const s = await openParquetSink(f, { second: 'utf8', first: 'utf8' }, { rowGroupSize: M });
    await s.write({ length: M, columns: { second: utf8FromStrings(cols.second), first: utf8FromStrings(cols.first) } });
    await s.close();
    const info = await parquetReader.describe(spec(f));
    expect(info.partitions.length).toBe(1);
    const b = await parquetReader.read(spec(f), info.partitions[0], ['second', 'first'], info.schema, { dictionary: ['second', 'first'] });
    for (const [n, want] of Object.entries(cols)) {
      const c = b.columns[n];
      const dict = Array.from({ length: c.dictionary!.length }, (_, i) => valueAt(c.dictionary!, i));
      let bad = -1;
      for (let i = 0; i < M && bad < 0; i++) {
        const got = c.valid && c.valid[i] === 0 ? null : dict[c.values[i]];
        if (got !== want[i]) bad = i;
      }
      expect(bad, n).toBe(-1);
      expect(c.nullCount, n).toBe(want.filter((x) => x === null).length);
    }
  });
});
