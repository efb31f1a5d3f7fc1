/** fast-check generators of internal columns and batches (every dtype, with nulls). */
import fc from 'fast-check';
import type { Batch, Column, DType, Schema } from '../../../core/types.js';
import { numericFromValues, utf8FromStrings } from '../../../ops/column/build.js';

const f32 = (x: number) => Math.fround(x);

/** Non-null JS values of a dtype, within what every writer and reader here represents exactly. */
export function valueArb(d: DType): fc.Arbitrary<number | boolean | string> {
  switch (d) {
    case 'bool': return fc.boolean();
    case 'int8': return fc.integer({ min: -128, max: 127 });
    case 'int16': return fc.integer({ min: -32768, max: 32767 });
    case 'int32': return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint8': return fc.integer({ min: 0, max: 255 });
    case 'uint16': return fc.integer({ min: 0, max: 65535 });
    case 'uint32': return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64': return fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger(), fc.constantFrom(-(2 ** 53), 2 ** 53, -(2 ** 32), 2 ** 32 - 1, 2 ** 31));
    case 'uint64': return fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat(), fc.constantFrom(2 ** 53, 2 ** 32));
    case 'float32': return fc.float({ noDefaultInfinity: false, noNaN: true }).filter((x) => !Object.is(x, -0)).map(f32);
    case 'float64': return fc.double({ noNaN: true }).filter((x) => !Object.is(x, -0));
    case 'utf8': return fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'a', 'é', '日本語', '🙂x'), fc.string({ unit: 'binary', maxLength: 30 }));
    case 'date': return fc.integer({ min: -200_000, max: 200_000 });
    case 'timestamp': return fc.integer({ min: -(2 ** 52), max: 2 ** 52 });
  }
}

/** A column of `n` values of dtype `d`, about `nullRate` of them null. */
export function columnArb(d: DType, n: number): fc.Arbitrary<Column> {
  return fc.array(fc.option(valueArb(d), { freq: 4 }), { minLength: n, maxLength: n })
    .map((vals) => (d === 'utf8' ? utf8FromStrings(vals as (string | null)[]) : numericFromValues(d, vals)));
}

/** A schema of 1..6 columns with random dtypes and a batch of 0..maxRows rows for it. */
export function batchArb(maxRows: number, dtypes: readonly DType[]): fc.Arbitrary<{ schema: Schema; batch: Batch }> {
  return fc.record({
    types: fc.array(fc.constantFrom(...dtypes), { minLength: 1, maxLength: 6 }),
    n: fc.integer({ min: 0, max: maxRows }),
  }).chain(({ types, n }) => fc.tuple(...types.map((t) => columnArb(t, n))).map((cols) => {
    const schema: Schema = {};
    const columns: Record<string, Column> = {};
    cols.forEach((c, i) => { schema[`c${i}_${types[i]}`] = types[i]; columns[`c${i}_${types[i]}`] = c; });
    return { schema, batch: { length: n, columns } };
  }));
}

/**
 * 1..6 bit-packed runs of width `w`: each 8..8*70 values (whole groups of 8; headers of 64+
 * groups take two varint bytes), for {@link bitPackedRuns}.
 */
export function bitPackedRunsArb(w: number): fc.Arbitrary<number[][]> {
  return fc.array(fc.array(fc.integer({ min: 0, max: 2 ** w - 1 }), { minLength: 8, maxLength: 8 * 70 }).map((v) => v.slice(0, v.length & ~7)), { minLength: 1, maxLength: 6 });
}

/**
 * The bytes of consecutive bit-packed hybrid runs (each a multiple of 8 values, under 64 * 8
 * per one-byte header, up to 127 * 8 with two), written bit by bit, any width up to 32.
 */
export function bitPackedRuns(runs: number[][], w: number): Uint8Array {
  const chunks: number[] = [];
  for (const values of runs) {
    const groups = values.length / 8, body = new Uint8Array(groups * w);
    values.forEach((v, i) => {
      for (let b = 0; b < w; b++) if (Math.floor(v / 2 ** b) % 2) { const bit = i * w + b; body[bit >> 3] |= 1 << (bit & 7); }
    });
    const header = groups * 2 + 1;
    chunks.push(...(header < 128 ? [header] : [0x80 | (header & 0x7f), header >> 7]), ...body);
  }
  return Uint8Array.from(chunks);
}
