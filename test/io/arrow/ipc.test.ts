/** Arrow IPC reader (file and stream format) and sink: round trips, foreign files, bad input. */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { recordBatchToBatch } from '../../../core/arrow.js';
import { IOError, ParseError } from '../../../core/errors.js';
import { DTYPES, type Batch, type Schema } from '../../../core/types.js';
import { flightsPath } from '../../../datasets/flights.js';
import { arrowReader } from '../../../io/arrow/index.js';
import { parquetReader } from '../../../io/parquet/index.js';
import { openArrowSink } from '../../../io/sinks/arrow.js';
import type { SourceSpec } from '../../../io/source.js';
import { numericFromValues } from '../../../ops/column/build.js';
import { sliceBatch } from '../../../ops/column/take.js';
import { batchArb } from '../parquet/gen.js';
import { batchRows, readAll, tempDir } from '../parquet/util.js';

const dir = tempDir('arrow-ipc');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = (...paths: string[]): SourceSpec => ({ format: 'arrow', paths, options: {} });

async function writeArrow(path: string, schema: Schema, batches: Batch[], format: 'file' | 'stream'): Promise<void> {
  const s = await openArrowSink(path, schema, { format });
  for (const b of batches) await s.write(b);
  await s.close();
}

function split(b: Batch, parts: number): Batch[] {
  const out: Batch[] = [];
  const step = Math.max(1, Math.ceil(b.length / parts));
  for (let a = 0; a < b.length; a += step) out.push(sliceBatch(b, a, Math.min(b.length, a + step)));
  return out;
}

describe('Arrow IPC sink and reader', () => {
  it('round-trip random batches in both formats: one partition per record batch, identical values', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(batchArb(200, DTYPES), fc.integer({ min: 1, max: 5 }), fc.constantFrom('file', 'stream'), async ({ schema, batch }, parts, format) => {
      const f = join(dir, `prop-${run++}.arrow`);
      const batches = split(batch, parts);
      await writeArrow(f, schema, batches, format);
      const { schema: got, rows } = await readAll(arrowReader, spec(f));
      expect(got).toEqual(schema);
      expect(rows).toEqual(batchRows(batch));
      const info = await arrowReader.describe(spec(f));
      expect(info.partitions.map((p) => p.rows)).toEqual(batches.map((b) => b.length));
      // apache-arrow reads what we wrote
      const t = arrow.tableFromIPC(readFileSync(f));
      expect(t.numRows).toBe(batch.length);
      expect(t.batches.flatMap((rb) => batchRows(recordBatchToBatch(rb)))).toEqual(batchRows(batch));
    }), { numRuns: 40 });
  });

  it('streams flights through both formats and reads single batches back by index', async () => {
    const src = flightsPath();
    const pspec: SourceSpec = { format: 'parquet', paths: [src], options: {} };
    const info = await parquetReader.describe(pspec);
    const batches = [];
    for (const p of info.partitions.slice(0, 3)) batches.push(await parquetReader.read(pspec, p, Object.keys(info.schema), info.schema));
    for (const format of ['file', 'stream'] as const) {
      const f = join(dir, `flights.${format}.arrow`);
      await writeArrow(f, info.schema, batches, format);
      const ai = await arrowReader.describe(spec(f));
      expect(ai.schema).toEqual(info.schema);
      expect(ai.partitions.map((p) => p.rows)).toEqual(batches.map((b) => b.length));
      const b2 = await arrowReader.read(spec(f), ai.partitions[2], ['delay', 'origin'], ai.schema);
      expect(Object.keys(b2.columns)).toEqual(['delay', 'origin']);
      // typed arrays compared as bytes: deep equality over 272k elements is slow
      const same = (x: ArrayBufferView, y: ArrayBufferView) => Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(y.buffer, y.byteOffset, y.byteLength)) === 0;
      expect(same(b2.columns.delay.values, batches[2].columns.delay.values)).toBe(true);
      expect(same(b2.columns.origin.values, batches[2].columns.origin.values)).toBe(true);
      expect(same(b2.columns.origin.offsets!, batches[2].columns.origin.offsets!)).toBe(true);
      const t = arrow.tableFromIPC(readFileSync(f));
      expect(t.numRows).toBe(batches.reduce((n, b) => n + b.length, 0));
      expect(String(t.schema.fields[0].type)).toBe('Timestamp<MICROSECOND>');
    }
  });

  it('reads dictionary-encoded columns from apache-arrow files and streams, batch by batch', async () => {
    const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
    // file format: both batches share one dictionary
    const dictValues = arrow.vectorFromArray(['x', 'y', 'z'], new arrow.Utf8());
    const d1 = arrow.makeData({ type, length: 4, nullCount: 1, nullBitmap: new Uint8Array([0b1011]), data: new Int32Array([0, 1, 0, 0]), dictionary: dictValues });
    const d2 = arrow.makeData({ type, length: 3, nullCount: 0, data: new Int32Array([2, 0, 2]), dictionary: dictValues });
    const shared = new arrow.Table([
      new arrow.RecordBatch({ s: d1, n: arrow.vectorFromArray([1, 2, 3, 4], new arrow.Int32()).data[0] }),
      new arrow.RecordBatch({ s: d2, n: arrow.vectorFromArray([5, 6, 7], new arrow.Int32()).data[0] }),
    ]);
    // stream format: the second batch brings a replacement dictionary
    const w = new arrow.RecordBatchStreamWriter();
    w.write(new arrow.RecordBatch({ s: arrow.vectorFromArray(['x', 'y', null, 'x'], type).data[0], n: arrow.vectorFromArray([1, 2, 3, 4], new arrow.Int32()).data[0] }));
    w.write(new arrow.RecordBatch({ s: arrow.vectorFromArray(['z', 'x', 'z'], type).data[0], n: arrow.vectorFromArray([5, 6, 7], new arrow.Int32()).data[0] }));
    w.finish();
    const streamBytes = w.toUint8Array(true);
    for (const format of ['file', 'stream'] as const) {
      const f = join(dir, `dict.${format}.arrow`);
      writeFileSync(f, format === 'file' ? arrow.tableToIPC(shared, 'file') : streamBytes);
      const info = await arrowReader.describe(spec(f));
      expect(info.schema).toEqual({ s: 'utf8', n: 'int32' });
      expect(info.partitions).toHaveLength(2);
      const second = await arrowReader.read(spec(f), info.partitions[1], ['s'], info.schema);
      expect(batchRows(second)).toEqual([{ s: 'z' }, { s: 'x' }, { s: 'z' }]);
      const { rows } = await readAll(arrowReader, spec(f));
      expect(rows.map((r) => r.s)).toEqual(['x', 'y', null, 'x', 'z', 'x', 'z']);
    }
  });

  it('reads IPC files and streams written by Polars', async () => {
    const df = pl.DataFrame({
      i: [1, 2, null, 4],
      s: ['a', null, 'ccc', ''],
      x: [0.5, null, -1.25, 3],
      b: [true, null, false, true],
    }).withColumns(pl.col('i').cast(pl.Int64));
    const file = join(dir, 'polars.arrow');
    const stream = join(dir, 'polars.arrows');
    df.writeIPC(file);
    df.writeIPCStream(stream);
    for (const f of [file, stream]) {
      const { schema, rows } = await readAll(arrowReader, spec(f));
      expect(schema).toEqual({ i: 'int64', s: 'utf8', x: 'float64', b: 'bool' });
      expect(rows).toEqual([
        { i: 1, s: 'a', x: 0.5, b: true }, { i: 2, s: null, x: null, b: null },
        { i: null, s: 'ccc', x: -1.25, b: false }, { i: 4, s: '', x: 3, b: true },
      ]);
    }
  });

  it('bad input: empty, truncated, garbage and corrupted files give ParseError naming the file', async () => {
    const good = join(dir, 'good.arrow');
    const batch: Batch = { length: 1000, columns: { a: numericFromValues('int64', Array.from({ length: 1000 }, (_, i) => i)) } };
    await writeArrow(good, { a: 'int64' }, split(batch, 4), 'file');
    const goodStream = join(dir, 'good.arrows');
    await writeArrow(goodStream, { a: 'int64' }, split(batch, 4), 'stream');
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['garbage', new TextEncoder().encode('hello, this is not arrow at all'.repeat(20))],
      ['cut-file-end', readFileSync(good).subarray(0, readFileSync(good).length - 3)],
      ['cut-file-half', readFileSync(good).subarray(0, 3000)],
      ['cut-stream', readFileSync(goodStream).subarray(0, 2500)],
      ['tiny', new Uint8Array([0x41, 0x52, 0x52, 0x4f, 0x57, 0x31, 0, 0])],
    ];
    for (const [name, bytes] of cases) {
      const f = join(dir, `bad-${name}.arrow`);
      writeFileSync(f, bytes);
      const e = await readAll(arrowReader, spec(f)).then(() => undefined, (x: unknown) => x);
      expect(e, name).toBeInstanceOf(ParseError);
      expect((e as ParseError).file).toBe(f);
      expect((e as Error).message).toContain(f);
    }
    // random byte damage: a ParseError or (when only values were hit) a successful read
    let seed = 99;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    for (const src of [good, goodStream]) {
      const bytes = readFileSync(src);
      for (let trial = 0; trial < 40; trial++) {
        const copy = Buffer.from(bytes);
        const at = Math.floor(rand() * (bytes.length - 8));
        for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) copy[at + k] = Math.floor(rand() * 256);
        const f = join(dir, `damaged-${trial}.arrow`);
        writeFileSync(f, copy);
        const e = await readAll(arrowReader, spec(f)).then(() => undefined, (x: unknown) => x);
        if (e !== undefined) {
          expect(e, `${src} trial ${trial}: ${String(e)}`).toBeInstanceOf(ParseError);
          expect((e as ParseError).file).toBe(f);
        }
      }
    }
  });

  it('the sink is atomic: missing directory is an IOError, abort leaves nothing', async () => {
    const missing = join(dir, 'nope', 'x.arrow');
    const e = await openArrowSink(missing, { a: 'int64' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IOError);
    expect((e as IOError).path).toBe(missing);
    const f = join(dir, 'aborted.arrow');
    const s = await openArrowSink(f, { a: 'int64' });
    await s.write({ length: 1, columns: { a: numericFromValues('int64', [1]) } });
    await s.abort();
    expect(readdirSync(dir).filter((n) => n.startsWith('aborted.arrow'))).toEqual([]);
    const empty = join(dir, 'empty.arrow');
    await writeArrow(empty, { a: 'int64', s: 'utf8' }, [], 'file');
    const t = arrow.tableFromIPC(readFileSync(empty));
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((x) => x.name)).toEqual(['a', 's']);
    expect((await arrowReader.describe(spec(empty))).partitions).toEqual([]);
  });
});
