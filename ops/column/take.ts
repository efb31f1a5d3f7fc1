/** Row selection and concatenation over columns and batches. */
import { allocValues, type Batch, type Column, type NumericArray } from '../../core/types.js';
import { emptyColumn } from './build.js';

/** Gathers rows `idx[0..n)` (indices into c) into a new column. */
export function takeColumn(c: Column, idx: Int32Array | Uint32Array, n = idx.length): Column {
  let valid: Uint8Array | undefined;
  let nulls = 0;
  if (c.valid) {
    valid = new Uint8Array(n);
    const v = c.valid;
    for (let i = 0; i < n; i++) { const b = v[idx[i]]; valid[i] = b; nulls += b ^ 1; }
    if (nulls === 0) valid = undefined;
  }
  if (c.dictionary) {
    const codes = new Int32Array(n), src = c.values as Int32Array;
    for (let i = 0; i < n; i++) codes[i] = src[idx[i]];
    return { type: c.type, length: n, values: codes, dictionary: c.dictionary, valid, nullCount: nulls };
  }
  if (c.type === 'utf8') {
    const off = c.offsets!, src = c.values as Uint8Array;
    const offsets = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) { const j = idx[i]; total += off[j + 1] - off[j]; offsets[i + 1] = total; }
    const values = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      const j = idx[i], s = off[j], e = off[j + 1];
      if (e - s < 16) { let o = offsets[i]; for (let k = s; k < e; k++) values[o++] = src[k]; }
      else values.set(src.subarray(s, e), offsets[i]);
    }
    return { type: 'utf8', length: n, values, offsets, valid, nullCount: nulls };
  }
  const out = allocValues(c.type, n) as NumericArray;
  const src = c.values;
  for (let i = 0; i < n; i++) out[i] = src[idx[i]];
  return { type: c.type, length: n, values: out, valid, nullCount: nulls };
}

export function takeBatch(b: Batch, idx: Int32Array | Uint32Array, n = idx.length): Batch {
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(b.columns)) columns[k] = takeColumn(c, idx, n);
  return { length: n, columns };
}

/** Rows [start, end) as a new column (copies, so the result owns its buffers). */
export function sliceColumn(c: Column, start: number, end: number): Column {
  const n = Math.max(0, end - start);
  const valid = c.valid ? c.valid.slice(start, end) : undefined;
  let nulls = 0;
  if (valid) for (let i = 0; i < n; i++) nulls += valid[i] ^ 1;
  if (c.dictionary) return { type: c.type, length: n, values: c.values.slice(start, end), dictionary: c.dictionary, valid: nulls ? valid : undefined, nullCount: nulls };
  if (c.type === 'utf8') {
    const off = c.offsets!;
    const base = off[start];
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) offsets[i] = off[start + i] - base;
    return { type: 'utf8', length: n, values: c.values.slice(base, off[end]), offsets, valid: nulls ? valid : undefined, nullCount: nulls };
  }
  return { type: c.type, length: n, values: c.values.slice(start, end), valid: nulls ? valid : undefined, nullCount: nulls };
}

export function sliceBatch(b: Batch, start: number, end: number): Batch {
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(b.columns)) columns[k] = sliceColumn(c, start, end);
  return { length: Math.max(0, end - start), columns };
}

/** Concatenates columns of one dtype. */
export function concatColumns(cols: Column[]): Column {
  if (cols.length === 1) return cols[0];
  const type = cols[0].type;
  if (cols.length === 0) return emptyColumn(type);
  let n = 0, nulls = 0;
  for (const c of cols) { n += c.length; nulls += c.nullCount; }
  let valid: Uint8Array | undefined;
  if (nulls > 0) {
    valid = new Uint8Array(n);
    let o = 0;
    for (const c of cols) { if (c.valid) valid.set(c.valid, o); else valid.fill(1, o, o + c.length); o += c.length; }
  }
  if (type === 'utf8') {
    let bytes = 0;
    for (const c of cols) bytes += c.offsets![c.length] - c.offsets![0];
    const values = new Uint8Array(bytes);
    const offsets = new Int32Array(n + 1);
    let o = 0, bo = 0;
    for (const c of cols) {
      const off = c.offsets!, base = off[0];
      values.set(c.values.subarray(base, off[c.length]) as Uint8Array, bo);
      for (let i = 1; i <= c.length; i++) offsets[o + i] = bo + off[i] - base;
      o += c.length; bo += off[c.length] - base;
    }
    return { type, length: n, values, offsets, valid, nullCount: nulls };
  }
  const values = allocValues(type, n) as NumericArray;
  let o = 0;
  for (const c of cols) { (values as Float64Array).set(c.values as Float64Array, o); o += c.length; }
  return { type, length: n, values, valid, nullCount: nulls };
}

/** Concatenates batches with the same columns. */
export function concatBatches(batches: Batch[], names?: string[]): Batch {
  if (batches.length === 1) return batches[0];
  const keys = names ?? (batches.length ? Object.keys(batches[0].columns) : []);
  const columns: Record<string, Column> = {};
  for (const k of keys) columns[k] = concatColumns(batches.map((b) => b.columns[k]));
  return { length: batches.reduce((s, b) => s + b.length, 0), columns };
}
