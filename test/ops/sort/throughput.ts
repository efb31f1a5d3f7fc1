/**
 * Sort kernel throughput on 1-5M rows, against baselines in the same run: the native
 * Float64Array sort of the bare values (no permutation, not stable) and Array.prototype.sort
 * of indices with a comparator.
 *
 *   npx tsc --outDir /tmp/tessera-bench --rootDir . --module NodeNext --moduleResolution NodeNext \
 *     --target ES2022 --skipLibCheck test/ops/sort/throughput.ts && node /tmp/tessera-bench/test/ops/sort/throughput.js
 */
import type { Batch, Column } from '../../../core/types.js';
import { mergeSorted, sortIndices, topK } from '../../../ops/kernels/sort/index.js';
import { sliceBatch, takeBatch } from '../../../ops/column/take.js';

const N = Number(process.env.ROWS ?? 5_000_000);

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

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

function time<T>(label: string, f: () => T): T {
  let best = Infinity, out!: T;
  for (let rep = 0; rep < 3; rep++) { const t0 = performance.now(); out = f(); best = Math.min(best, performance.now() - t0); }
  console.log(`${label}: ${best.toFixed(0)} ms = ${(N / best / 1000).toFixed(1)} M rows/s`);
  return out;
}

const r = rng(7);
const f = new Float64Array(N).map(() => (r() - 0.5) * 1e6);
const i32 = new Int32Array(N).map(() => Math.floor(r() * 1e6));
const batch: Batch = { length: N, columns: {
  f: { type: 'float64', length: N, values: f, nullCount: 0 },
  i: { type: 'int32', length: N, values: i32, nullCount: 0 },
  id3: idColumn(N, 100_000, 10, r),
  id1: idColumn(N, 100, 3, r),
  idu: idColumn(N, 1e9, 10, r),
} };

time('baseline Float64Array.prototype.sort (values only)', () => f.slice().sort());
if (N <= 1_000_000) time('baseline Array.sort of indices by comparator', () => Array.from({ length: N }, (_, j) => j).sort((a, b) => f[a] - f[b] || a - b));
time('sortIndices f (float64)', () => sortIndices(batch, ['f'], [false]));
time('sortIndices i (int32) desc', () => sortIndices(batch, ['i'], [true]));
time('sortIndices id3 (utf8, 100k distinct)', () => sortIndices(batch, ['id3'], [false]));
time('sortIndices idu (utf8, mostly distinct)', () => sortIndices(batch, ['idu'], [false]));
time('sortIndices id1, f (utf8 100 distinct, float64)', () => sortIndices(batch, ['id1', 'f'], [false, true]));
time('topK f desc k=100', () => topK(batch, ['f'], [true], 100));
const parts: Batch[] = [];
for (let s = 0; s < N; s += 500_000) { const p = sliceBatch(batch, s, Math.min(N, s + 500_000)); parts.push(takeBatch(p, sortIndices(p, ['f'], [false]))); }
time(`mergeSorted ${parts.length} runs by f`, () => mergeSorted(parts, ['f'], [false]));
