/**
 * The row loops of aggregation over dictionary codes and group ids, in WebAssembly: counting
 * rows per group, flagging the dictionary entries that occur, summing dictionary values by
 * code, composite codes of several key columns, and the first appearance of each code.
 *
 * The JS versions of these loops are as fast once V8 has optimized them, but a worker thread
 * starts with none optimized, and each loop was compiled on stack, sometimes twice, within a
 * thread's first row groups: in a cold flights report, the first two partitions of a thread
 * took 50-90 ms against 15-20 ms warm, most of it in these loops. WebAssembly is compiled
 * before its first call and runs at one speed from there on.
 *
 * The kernels work in the thread's kernel memory (./memory.ts): code arrays that are views of
 * it (Parquet codes decoded into io/scratch.ts's reused arrays) are read in place, other
 * inputs are copied in for the call, and outputs copied back (a memcpy, against a loop that
 * reads every value anyway). Every function here returns false (or undefined) without
 * touching its outputs when it does not take the call: no WebAssembly, or more data to copy
 * than {@link WORK_BYTES}; the caller then runs its JS loop.
 * Results are bit-identical to the JS loops: sums add the same values in the same order.
 */
import { F64, f64Bytes, get, I32, i32, name, OP, section, set, uleb, wasmModule } from './assemble.js';
import { inKernelMemory, kernelInstance, kernelMemory, MEMORY_IMPORT, WORK_BYTES, type KernelMemory } from './memory.js';

const load = (...addr: number[]): number[] => [...addr, OP.load, 2, 0];
/** `base + (index << shift)` */
const at = (base: number, index: number[], shift: number): number[] => [...get(base), ...index, ...i32(shift), OP.shl, OP.add];
const bump = (l: number, by: number): number[] => set(l, ...get(l), ...i32(by), OP.add);

/** `while (P < END) { body; P += 4 }` over an int32 input at byte address P. */
function rows(p: number, end: number, body: number[], extra: number[] = []): number[] {
  return [
    OP.block, OP.void, OP.loop, OP.void,
    ...get(p), ...get(end), OP.geU, OP.brIf, 1,
    ...body,
    ...bump(p, 4), ...extra,
    OP.br, 0,
    OP.end, OP.end,
  ];
}

/** A function body: locals (count, type) pairs, then code. */
function fn(locals: number[][], code: number[]): number[] {
  const decl = [...uleb(locals.length), ...locals.flat()];
  const b = [...decl, ...code, OP.end];
  return [...uleb(b.length), ...b];
}

// count(G, n, C): f64 C[G[i]] += 1. locals: END, A
const count = fn([[2, I32]], [
  ...set(3, ...get(0), ...get(1), ...i32(2), OP.shl, OP.add),
  ...rows(0, 3, [
    ...at(2, load(...get(0)), 3), OP.tee, 4,
    ...get(4), OP.loadF, 3, 0, OP.f64, ...f64Bytes(1), OP.addF, OP.storeF, 3, 0,
  ]),
]);

// flags(G, n, F): u8 F[G[i]] = 1. locals: END
const flags = fn([[1, I32]], [
  ...set(3, ...get(0), ...get(1), ...i32(2), OP.shl, OP.add),
  ...rows(0, 3, [...get(2), ...load(...get(0)), OP.add, ...i32(1), OP.store8, 0, 0]),
]);

// totalCoded(D, K, n, acc: f64) -> f64: acc += D[K[i]] in row order. locals: END
const totalCoded = fn([[1, I32]], [
  ...set(4, ...get(1), ...get(2), ...i32(2), OP.shl, OP.add),
  ...rows(1, 4, [...get(3), ...at(0, load(...get(1)), 3), OP.loadF, 3, 0, OP.addF, OP.set, 3]),
  ...get(3),
]);

// addCoded(S, G, D, K, n): f64 S[G[i]] += D[K[i]]. locals: END, A
const addCoded = fn([[2, I32]], [
  ...set(5, ...get(1), ...get(4), ...i32(2), OP.shl, OP.add),
  ...rows(1, 5, [
    ...at(0, load(...get(1)), 3), OP.tee, 6,
    ...get(6), OP.loadF, 3, 0, ...at(2, load(...get(3)), 3), OP.loadF, 3, 0, OP.addF,
    OP.storeF, 3, 0,
  ], bump(3, 4)),
]);

// addScaled(O, K, n, stride): i32 O[i] += K[i] * stride. locals: END
const addScaled = fn([[1, I32]], [
  ...set(4, ...get(0), ...get(2), ...i32(2), OP.shl, OP.add),
  ...rows(0, 4, [
    ...get(0), ...load(...get(0)), ...load(...get(1)), ...get(3), OP.mul, OP.add, OP.store, 2, 0,
  ], bump(1, 4)),
]);

// firstApp(C, n, SEEN, FIRST, most, base, m0) -> m: for rows of the block C[0, n) in order,
// from m0 codes found until `most`, a code k with SEEN[k] < 0 gets SEEN[k] = m and
// FIRST[m++] = base + its row. params 0-6; locals: I 7, M 8, A 9
const firstApp = fn([[3, I32]], [
  ...set(8, ...get(6)),
  OP.block, OP.void, OP.loop, OP.void,
  ...get(7), ...get(1), OP.geU, ...get(8), ...get(4), OP.geU, OP.or, OP.brIf, 1,
  ...at(2, load(...at(0, get(7), 2)), 2), OP.tee, 9,
  ...load(...get(9)), ...i32(0), OP.ltS,
  OP.if, OP.void,
  ...get(9), ...get(8), OP.store, 2, 0,
  ...at(3, get(8), 2), ...get(5), ...get(7), OP.add, OP.store, 2, 0,
  ...bump(8, 1),
  OP.end,
  ...bump(7, 1),
  OP.br, 0,
  OP.end, OP.end,
  ...get(8),
]);

// groupPairs(A, B, n, stride, SEEN, FIRST, G) -> m: row i's pair code k = A[i] + B[i] * stride
// gets a dense id in order of first appearance (SEEN[k], -1 until then; FIRST[id] = its first
// row), stored in G[i]. params 0-6; locals: I 7, M 8, ADDR 9, ID 10
const groupPairs = fn([[4, I32]], [
  OP.block, OP.void, OP.loop, OP.void,
  ...get(7), ...get(2), OP.geU, OP.brIf, 1,
  ...at(4, [...load(...at(0, get(7), 2)), ...load(...at(1, get(7), 2)), ...get(3), OP.mul, OP.add], 2), OP.tee, 9,
  ...load(...get(9)), OP.tee, 10, ...i32(0), OP.ltS,
  OP.if, OP.void,
  ...set(10, ...get(8)),
  ...get(9), ...get(8), OP.store, 2, 0,
  ...at(5, get(8), 2), ...get(7), OP.store, 2, 0,
  ...bump(8, 1),
  OP.end,
  ...at(6, get(7), 2), ...get(10), OP.store, 2, 0,
  ...bump(7, 1),
  OP.br, 0,
  OP.end, OP.end,
  ...get(8),
]);

const TYPES = [
  [0x60, 3, I32, I32, I32, 0], // count, flags
  [0x60, 4, I32, I32, I32, F64, 1, F64], // totalCoded
  [0x60, 5, I32, I32, I32, I32, I32, 0], // addCoded
  [0x60, 4, I32, I32, I32, I32, 0], // addScaled
  [0x60, 7, I32, I32, I32, I32, I32, I32, I32, 1, I32], // firstApp, groupPairs
];
const FUNCS: [string, number, number[]][] = [
  ['count', 0, count], ['flags', 0, flags], ['totalCoded', 1, totalCoded],
  ['addCoded', 2, addCoded], ['addScaled', 3, addScaled], ['firstApp', 4, firstApp],
  ['groupPairs', 4, groupPairs],
];

function moduleBytes(): Uint8Array {
  return wasmModule(
    section(1, [TYPES.length, ...TYPES.flat()]),
    MEMORY_IMPORT,
    section(3, [FUNCS.length, ...FUNCS.map((f) => f[1])]),
    section(7, [FUNCS.length, ...FUNCS.flatMap(([n], i) => [...name(n), 0x00, i])]),
    section(10, [FUNCS.length, ...FUNCS.flatMap((f) => f[2])]),
  );
}

interface Exports {
  mem: KernelMemory;
  count(g: number, n: number, c: number): void;
  flags(g: number, n: number, f: number): void;
  totalCoded(d: number, k: number, n: number, acc: number): number;
  addCoded(s: number, g: number, d: number, k: number, n: number): void;
  addScaled(o: number, k: number, n: number, stride: number): void;
  firstApp(c: number, n: number, seen: number, first: number, most: number, base: number, m0: number): number;
  groupPairs(a: number, b: number, n: number, stride: number, seen: number, first: number, g: number): number;
}

let kernels: Exports | undefined;
let unavailable = false;

/** Compiles the kernels ahead of their first call (see loadIndexKernel in io/parquet/hybrid-wasm.ts). */
export function loadCodeKernels(): boolean {
  return withMemory(0) !== undefined;
}

/**
 * The kernels, when `bytes` of copies fit the work region of the kernel memory; undefined
 * otherwise or without WebAssembly. Callers lay their regions out from address 0, each
 * 8-byte aligned.
 */
function withMemory(bytes: number): Exports | undefined {
  if (bytes > WORK_BYTES || unavailable) return undefined;
  if (!kernels) {
    const ex = kernelInstance(moduleBytes());
    if (!ex) { unavailable = true; return undefined; }
    kernels = { ...ex, mem: kernelMemory()! } as unknown as Exports;
  }
  return kernels;
}

const align = (b: number): number => (b + 7) & ~7;

/** The address of `a`'s first n values in the kernel memory: where it is, else copied to `at`. */
function putI32(k: Exports, at: number, a: Int32Array, n: number): number {
  if (inKernelMemory(a)) return a.byteOffset;
  new Int32Array(k.mem.buffer, at, n).set(n === a.length ? a : a.subarray(0, n));
  return at;
}

/** Bytes to set aside in the work region for a copy of `a`'s first n values (none when it is in the kernel memory). */
const spaceI32 = (a: Int32Array, n: number): number => (inKernelMemory(a) ? 0 : align(4 * n));

function putF64(k: Exports, at: number, a: Float64Array, n: number): void {
  new Float64Array(k.mem.buffer, at, n).set(n === a.length ? a : a.subarray(0, n));
}

/** c[gids[i]] += 1 for rows [0, n), every gid below `groups` (<= c.length); taken when groups <= n. */
export function wasmCountRows(c: Float64Array, gids: Int32Array, n: number, groups: number): boolean {
  if (groups > n) return false;
  const G = align(8 * groups);
  const k = withMemory(G + spaceI32(gids, n));
  if (!k) return false;
  putF64(k, 0, c, groups);
  k.count(putI32(k, G, gids, n), n, 0);
  c.set(new Float64Array(k.mem.buffer, 0, groups));
  return true;
}

/** One flag per dictionary entry (`entries` of them): whether some row [0, n) has its code. */
export function wasmUsedCodes(codes: Int32Array, n: number, entries: number): Uint8Array | undefined {
  const F = spaceI32(codes, n);
  const k = withMemory(F + entries);
  if (!k) return undefined;
  const at = putI32(k, 0, codes, n);
  new Uint8Array(k.mem.buffer, F, entries).fill(0);
  k.flags(at, n, F);
  return new Uint8Array(k.mem.buffer, F, entries).slice();
}

/** `from` plus d[codes[i]] for rows [0, n), added in row order. */
export function wasmTotalCoded(d: Float64Array, codes: Int32Array, n: number, from: number): number | undefined {
  const K = align(8 * d.length);
  const k = withMemory(K + spaceI32(codes, n));
  if (!k) return undefined;
  putF64(k, 0, d, d.length);
  return k.totalCoded(0, putI32(k, K, codes, n), n, from);
}

/** s[gids[i]] += d[codes[i]] for rows [0, n), every gid below `groups`; taken when groups <= n. */
export function wasmAddCoded(s: Float64Array, gids: Int32Array, d: Float64Array, codes: Int32Array, n: number, groups: number): boolean {
  if (groups > n) return false;
  const G = align(8 * groups), D = G + spaceI32(gids, n), K = D + align(8 * d.length);
  const k = withMemory(K + spaceI32(codes, n));
  if (!k) return false;
  putF64(k, 0, s, groups);
  putF64(k, D, d, d.length);
  k.addCoded(0, putI32(k, G, gids, n), D, putI32(k, K, codes, n), n);
  s.set(new Float64Array(k.mem.buffer, 0, groups));
  return true;
}

/**
 * The composite codes of rows [0, n): sum over columns of codes * stride, for columns
 * without nulls (`strides[j]` the product of the earlier columns' code counts; the first is 1).
 */
export function wasmComposite(codes: Int32Array[], strides: number[], n: number): Int32Array | undefined {
  const K = align(4 * n);
  const k = withMemory(K + 4 * n);
  if (!k) return undefined;
  // the sum is built at 0, so the first column is copied even from the kernel memory
  new Int32Array(k.mem.buffer, 0, n).set(codes[0].subarray(0, n));
  for (let j = 1; j < codes.length; j++) k.addScaled(0, putI32(k, K, codes[j], n), n, strides[j]);
  return new Int32Array(k.mem.buffer, 0, n).slice();
}

/** Rows {@link wasmFirstAppearances} copies in at a time: a scan that finds every code early copies little. */
const BLOCK = 1 << 16;

/**
 * Scans rows [0, n) of `composite` in order until `most` distinct codes were found: a code
 * first seen gets the next local id in `seen` (which ends holding -1 for every other code of
 * the space, `space` long) and its row in `firstRow`. Returns how many were found, or -1
 * when not taken (a space larger than n).
 */
export function wasmFirstAppearances(composite: Int32Array, n: number, seen: Int32Array, space: number, firstRow: Int32Array, most: number): number {
  if (space > n) return -1;
  const block = Math.min(n, BLOCK), S = align(4 * block), F = S + align(4 * space);
  const k = withMemory(F + 4 * Math.min(most, n));
  if (!k) return -1;
  new Int32Array(k.mem.buffer, S, space).fill(-1);
  let m = 0;
  // codes in the kernel memory are read where they are, others copied in block by block
  if (inKernelMemory(composite)) m = k.firstApp(composite.byteOffset, n, S, F, most, 0, 0);
  else for (let from = 0; from < n && m < most; from += block) {
    const len = Math.min(block, n - from);
    new Int32Array(k.mem.buffer, 0, len).set(composite.subarray(from, from + len));
    m = k.firstApp(0, len, S, F, most, from, m);
  }
  seen.set(new Int32Array(k.mem.buffer, S, space));
  firstRow.set(new Int32Array(k.mem.buffer, F, m));
  return m;
}

/**
 * Dense group ids, in order of first appearance, of rows [0, n) of two dictionary-coded key
 * columns without nulls, in one pass: the pair (a[i], b[i]) has code a[i] + b[i] * stride in a
 * space of `space` codes. Writes the ids to `gids` and each group's first row to `firstRow`;
 * returns the number of groups, or -1 when not taken (no WebAssembly, or too large).
 */
export function wasmGroupPairs(a: Int32Array, b: Int32Array, n: number, stride: number, space: number, gids: Int32Array, firstRow: Int32Array): number {
  const F = align(4 * space), G = F + align(4 * Math.min(n, space)), A = G + align(4 * n), B = A + spaceI32(a, n);
  const k = withMemory(B + spaceI32(b, n));
  if (!k) return -1;
  new Int32Array(k.mem.buffer, 0, space).fill(-1);
  const m = k.groupPairs(putI32(k, A, a, n), putI32(k, B, b, n), n, stride, 0, F, G);
  gids.set(new Int32Array(k.mem.buffer, G, n));
  firstRow.set(new Int32Array(k.mem.buffer, F, m));
  return m;
}
