/** core/arrow.ts: internal columns <-> apache-arrow, checked by property tests and against Arrow's own getters. */
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrowDataToColumn, arrowTypeToDType, batchesToTable, batchToRecordBatch, dtypeToArrowType, recordBatchToBatch,
} from '../../../core/arrow.js';
import { NotImplementedError } from '../../../core/errors.js';
import { DTYPES, type Batch } from '../../../core/types.js';
import { numericFromValues, utf8FromStrings, valueAt } from '../../../ops/column/build.js';
import { batchArb } from '../parquet/gen.js';
import { batchRows } from '../parquet/util.js';

/** What Arrow's own getters return for a row, in internal units. */
function arrowRow(t: arrow.Table, i: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of t.schema.fields) {
    const v = t.getChild(f.name)!.get(i);
    if (v === null) { o[f.name] = null; continue; }
    switch (f.type.typeId) {
      case arrow.Type.Timestamp: o[f.name] = Number(t.getChild(f.name)!.data[0].values[i]); break; // raw micros
      case arrow.Type.Date: o[f.name] = Math.round(Number(v) / 86400000); break;
      default: o[f.name] = typeof v === 'bigint' ? Number(v) : v;
    }
  }
  return o;
}

describe('internal <-> Arrow', () => {
  it('round-trips random batches of every dtype with nulls (directly and through IPC bytes)', () => {
    fc.assert(fc.property(batchArb(200, DTYPES), ({ schema, batch }) => {
      const rb = batchToRecordBatch(batch, schema);
      expect(rb.numRows).toBe(batch.length);
      expect(rb.schema.fields.map((f) => arrowTypeToDType(f.type))).toEqual(Object.values(schema));
      const want = batchRows(batch);
      expect(batchRows(recordBatchToBatch(rb))).toEqual(want);
      // Arrow's own getters agree with the internal values
      const t = new arrow.Table([rb]);
      for (let i = 0; i < Math.min(batch.length, 20); i++) expect(arrowRow(t, i)).toEqual(want[i]);
      // and the bytes survive IPC
      const back = arrow.tableFromIPC(arrow.tableToIPC(batchesToTable([batch], schema)));
      expect(back.batches.flatMap((b) => batchRows(recordBatchToBatch(b)))).toEqual(want);
    }), { numRuns: 60 });
  });

  it('maps dtypes to the Arrow types DuckDB uses', () => {
    expect(String(dtypeToArrowType('timestamp'))).toBe('Timestamp<MICROSECOND>');
    expect(String(dtypeToArrowType('date'))).toBe('Date32<DAY>');
    expect(String(dtypeToArrowType('int64'))).toBe('Int64');
    for (const d of DTYPES) expect(arrowTypeToDType(dtypeToArrowType(d))).toBe(d);
    expect(() => arrowTypeToDType(new arrow.List(new arrow.Field('x', new arrow.Int32())))).toThrow(NotImplementedError);
  });

  it('zero batches give an empty table with the schema', () => {
    const t = batchesToTable([], { a: 'int64', s: 'utf8', ts: 'timestamp' });
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['a:Int64', 's:Utf8', 'ts:Timestamp<MICROSECOND>']);
  });

  it('decodes dictionary, large-utf8, sliced and non-microsecond Arrow columns', () => {
    const words = ['a', null, 'bb', 'a', 'ccc', null, 'bb', 'a', 'é', 'bb', 'x', 'yy'];
    const dict = arrow.vectorFromArray(words, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()));
    expect(arrowTypeToDType(dict.type)).toBe('utf8');
    const col = arrowDataToColumn(dict.data[0]);
    expect(Array.from({ length: words.length }, (_, i) => valueAt(col, i))).toEqual(words);

    const large = arrow.vectorFromArray(words, new arrow.LargeUtf8());
    const lcol = arrowDataToColumn(large.data[0]);
    expect(Array.from({ length: words.length }, (_, i) => valueAt(lcol, i))).toEqual(words);

    // slices start mid-byte in the null bitmap and mid-buffer in the offsets
    const ints = arrow.vectorFromArray([1n, null, 3n, 4n, null, 6n, 7n, 8n, 9n, null, 11n, 12n], new arrow.Int64());
    for (const [a, b] of [[3, 11], [1, 2], [5, 12]]) {
      const s = ints.slice(a, b);
      const c = arrowDataToColumn(s.data[0]);
      expect(Array.from({ length: b - a }, (_, i) => valueAt(c, i))).toEqual([...s].map((v) => (v === null ? null : Number(v))));
      const w = large.slice(a, b);
      const wc = arrowDataToColumn(w.data[0]);
      expect(Array.from({ length: b - a }, (_, i) => valueAt(wc, i))).toEqual(words.slice(a, b));
      const bools = arrow.vectorFromArray([true, false, null, true, true, false, null, false, true, true, false, true]).slice(a, b);
      const bc = arrowDataToColumn(bools.data[0]);
      expect(Array.from({ length: b - a }, (_, i) => valueAt(bc, i))).toEqual([...bools]);
    }

    const ns = arrow.makeVector({ type: new arrow.TimestampNanosecond(), data: new BigInt64Array([1_700_000_000_123_456_789n, -1_001n, 999n]) } as never);
    expect(Array.from(arrowDataToColumn(ns.data[0]).values)).toEqual([1_700_000_000_123_456, -2, 0]);
    const ms = arrow.makeVector({ type: new arrow.TimestampMillisecond(), data: new BigInt64Array([1_700_000_000_123n, -5n]) } as never);
    expect(Array.from(arrowDataToColumn(ms.data[0]).values)).toEqual([1_700_000_000_123_000, -5000]);
    const dms = arrow.makeVector({ type: new arrow.DateMillisecond(), data: new BigInt64Array([86_400_000n * 3n, -86_400_000n]) } as never);
    expect(Array.from(arrowDataToColumn(dms.data[0]).values)).toEqual([3, -1]);
  });

  it('keeps 64-bit integers exact up to 2^53 in both directions', () => {
    const vals = [0, -1, 1, 2 ** 53, -(2 ** 53), 2 ** 32, -(2 ** 32), 2 ** 32 - 1, -(2 ** 31) - 1, 123456789012345];
    const b: Batch = { length: vals.length, columns: { a: numericFromValues('int64', vals) } };
    const rb = batchToRecordBatch(b, { a: 'int64' });
    expect(Array.from(rb.getChild('a')!.data[0].values as BigInt64Array)).toEqual(vals.map(BigInt));
    expect(Array.from(recordBatchToBatch(rb).columns.a.values)).toEqual(vals);
    const u = arrow.makeVector({ type: new arrow.Uint64(), data: new BigUint64Array([2n ** 53n, 2n ** 32n + 5n, 0n]) } as never);
    expect(Array.from(arrowDataToColumn(u.data[0]).values)).toEqual([2 ** 53, 2 ** 32 + 5, 0]);
  });

  it('converts a 3M-row batch in milliseconds, not seconds', () => {
    const n = 3_000_000;
    const ids = new Float64Array(n).map((_, i) => i * 7 - 1e6);
    const valid = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i += 17) valid[i] = 0;
    const strs = utf8FromStrings(Array.from({ length: 1000 }, (_, i) => `s${i}`));
    const offsets = new Int32Array(n + 1);
    const values = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++) {
      const k = i % 1000, s = strs.offsets![k], e = strs.offsets![k + 1];
      values.set(strs.values.subarray(s, e) as Uint8Array, offsets[i]);
      offsets[i + 1] = offsets[i] + e - s;
    }
    const batch: Batch = {
      length: n,
      columns: {
        a: { type: 'int64', length: n, values: ids, valid, nullCount: Math.ceil(n / 17) },
        s: { type: 'utf8', length: n, values: values.subarray(0, offsets[n]), offsets, nullCount: 0 },
        f: { type: 'float64', length: n, values: new Float64Array(n), nullCount: 0 },
      },
    };
    const schema = { a: 'int64', s: 'utf8', f: 'float64' } as const;
    const t0 = performance.now();
    const rb = batchToRecordBatch(batch, schema);
    const t1 = performance.now();
    const back = recordBatchToBatch(rb);
    const t2 = performance.now();
    console.log(`3M rows x (int64 with nulls, utf8, float64): to Arrow ${(t1 - t0).toFixed(0)} ms, back ${(t2 - t1).toFixed(0)} ms`);
    expect(back.columns.a.nullCount).toBe(batch.columns.a.nullCount);
    expect(valueAt(back.columns.a, 5)).toBe(valueAt(batch.columns.a, 5));
    expect(valueAt(back.columns.s, 2_999_999)).toBe('s999');
    expect(t2 - t0).toBeLessThan(2000);
  });
});
