/**
 * Sink throughput of the hash aggregator on the h2o groupby shapes, against a plain-JS
 * baseline (a Map keyed by decoded strings) in the same run.
 *
 *   npx tsc --outDir /tmp/tessera-bench --rootDir . --module NodeNext --moduleResolution NodeNext \
 *     --target ES2022 --skipLibCheck test/ops/aggregate/throughput.ts && node /tmp/tessera-bench/test/ops/aggregate/throughput.js
 */
import type { Batch, Column } from '../../../core/types.js';
import { HashAggregator } from '../../../ops/kernels/aggregate/index.js';
import type { AggSpec } from '../../../ops/kernels/aggregate/index.js';

const ROWS = Number(process.env.ROWS ?? 10_000_000);
const BATCH = Number(process.env.BATCH ?? 500_000);

/** Deterministic xorshift so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

/** A utf8 column of "id" + zero-padded numbers in [1, k], built straight into bytes. */
function idColumn(n: number, k: number, width: number, r: () => number): Column {
  const len = 2 + width, values = new Uint8Array(n * len), offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let x = 1 + Math.floor(r() * k), p = i * len + len - 1;
    values[i * len] = 105; values[i * len + 1] = 100;
    for (let d = 0; d < width; d++) { values[p--] = 48 + (x % 10); x = Math.floor(x / 10); }
    offsets[i + 1] = (i + 1) * len;
  }
  return { type: 'utf8', length: n, values, offsets, nullCount: 0 };
}

function f64Column(n: number, f: () => number): Column {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = f();
  return { type: 'float64', length: n, values: v, nullCount: 0 };
}

function batches(k: number, width: number): Batch[] {
  const r = rng(42), out: Batch[] = [];
  for (let s = 0; s < ROWS; s += BATCH) {
    const n = Math.min(BATCH, ROWS - s);
    out.push({ length: n, columns: {
      id: idColumn(n, k, width, r),
      v1: { ...f64Column(n, () => 1 + Math.floor(r() * 5)), type: 'int64' },
      v3: f64Column(n, () => Math.round(r() * 1e8) / 1e6),
    } });
  }
  return out;
}

function run(name: string, bs: Batch[], aggs: AggSpec[]): void {
  const dec = new TextDecoder();
  for (let rep = 0; rep < 3; rep++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const agg = new HashAggregator({ keys: ['id'], keyTypes: ['utf8'], aggs, inputTypes: { v1: 'int64', v3: 'float64' } });
    for (const b of bs) agg.sink(b);
    const t1 = performance.now();
    const cpu = process.cpuUsage(c0);
    const res = agg.finalize();
    const t2 = performance.now();
    const mrs = ROWS / ((t1 - t0) / 1000) / 1e6;
    // CPU time as well: on a shared machine wall time includes waiting for a core
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(`${name} rep ${rep}: sink ${(t1 - t0).toFixed(0)} ms = ${mrs.toFixed(1)} M rows/s (cpu ${cpuMs.toFixed(0)} ms = ${(ROWS / cpuMs / 1000).toFixed(1)} M rows/s), finalize ${(t2 - t1).toFixed(1)} ms, ${res.length} groups`);
  }
  // baseline: what a straightforward JS implementation costs (one decoded string per row)
  const t0 = performance.now();
  const m = new Map<string, number>();
  for (const b of bs) {
    const c = b.columns.id, v = b.columns.v1.values, off = c.offsets!, bytes = c.values as Uint8Array;
    for (let i = 0; i < b.length; i++) {
      const key = dec.decode(bytes.subarray(off[i], off[i + 1]));
      m.set(key, (m.get(key) ?? 0) + v[i]);
    }
  }
  const t1 = performance.now();
  console.log(`${name} baseline Map<string>: ${(t1 - t0).toFixed(0)} ms = ${(ROWS / ((t1 - t0) / 1000) / 1e6).toFixed(1)} M rows/s`);
}

run('q1 sum(v1) by id1 (100 groups)', batches(100, 3), [{ fn: 'sum', input: 'v1', output: 'v1' }]);
run('q3 sum(v1), mean(v3) by id3 (100k groups)', batches(100_000, 10), [
  { fn: 'sum', input: 'v1', output: 'v1' }, { fn: 'mean', input: 'v3', output: 'v3' },
]);
