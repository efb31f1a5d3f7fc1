/**
 * The RLE / bit-packed hybrid decoder of ./rle.ts in WebAssembly, for pages of dictionary
 * indices. The JS decoder runs at full speed only once V8 has optimized it, and in a fresh
 * worker thread that took most of the first row groups: in a cold flights report each thread
 * spent ~40 ms of its first partition in the interpreter and in `unpackRuns` compiled on
 * stack, against ~2 ms warm. A WebAssembly function is compiled before its first call and
 * runs at one speed from there on.
 *
 * The page's bytes are copied into the thread's kernel memory (ops/kernels/wasm/memory.ts; 16
 * zero bytes after them, so 8-byte loads at any value of a run stay inside). The indices are
 * decoded straight into `out` when it is a view of that memory (the reused code arrays of
 * io/scratch.ts are), else after the page and copied out. The kernel takes only the common, well-formed case: varint headers of up to 4 bytes,
 * bit-packed runs whose bytes are all present, values below the limit. For anything else it
 * returns -1 and the page is decoded again by {@link readHybrid}, which finds the same values
 * or throws its own error (truncated runs, an index out of range, ...).
 */
import { get, I32, i32, name, OP, section, set, uleb, wasmModule } from '../../ops/kernels/wasm/assemble.js';
import { inKernelMemory, kernelInstance, kernelMemory, MEMORY_IMPORT, WORK_BYTES, type KernelMemory } from '../../ops/kernels/wasm/memory.js';
import { readHybrid } from './rle.js';


// params: position, end, bit width, output address, value count, largest allowed value
const P = 0, END = 1, W = 2, O = 3, COUNT = 4, LIM = 5;
// locals
const STOP = 6, H = 7, SH = 8, B = 9, N = 10, V = 11, BAD = 12, MASK = 13, BIT = 14, Q = 15, VMASK = 16;

const fail = [...i32(-1), OP.ret];
/** `a` when `a <u b`, else `b` (both expressions) */
const minU = (a: number[], b: number[]): number[] => [...a, ...b, ...a, ...b, OP.ltU, OP.select];
/** Stores V at O..Q (byte addresses), 4 bytes at a time; `each` runs per value after the store. */
const fillTo = (value: number[], each: number[]): number[] => [
  OP.block, OP.void, OP.loop, OP.void,
  ...get(O), ...get(Q), OP.geU, OP.brIf, 1,
  ...get(O), ...value, OP.tee, V, OP.store, 2, 0,
  ...each,
  ...set(O, ...get(O), ...i32(4), OP.add),
  OP.br, 0,
  OP.end, OP.end,
];

function body(): number[] {
  const code = [
    ...set(STOP, ...get(O), ...get(COUNT), ...i32(2), OP.shl, OP.add),
    // a width-bit mask (all ones at 32), and a mask of the RLE value's (width + 7) / 8 bytes
    ...set(MASK, ...i32(-1), ...i32(1), ...get(W), OP.shl, ...i32(1), OP.sub, ...get(W), ...i32(32), OP.geU, OP.select),
    ...set(B, ...get(W), ...i32(7), OP.add, ...i32(3), OP.shrU),
    ...set(VMASK, ...i32(-1), ...i32(1), ...get(B), ...i32(3), OP.shl, OP.shl, ...i32(1), OP.sub, ...get(B), ...i32(4), OP.geU, OP.select),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(O), ...get(STOP), OP.geU, OP.brIf, 1,
    // header varint, at most 4 bytes
    ...set(H, ...i32(0)), ...set(SH, ...i32(0)),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(P), ...get(END), OP.geU, OP.if, OP.void, ...fail, OP.end,
    ...set(B, ...get(P), OP.load8u, 0, 0),
    ...set(P, ...get(P), ...i32(1), OP.add),
    ...set(H, ...get(H), ...get(B), ...i32(0x7f), OP.and, ...get(SH), OP.shl, OP.or),
    ...get(B), ...i32(0x80), OP.ltU, OP.brIf, 1,
    ...set(SH, ...get(SH), ...i32(7), OP.add),
    ...get(SH), ...i32(21), OP.gtU, OP.if, OP.void, ...fail, OP.end,
    OP.br, 0,
    OP.end, OP.end,
    ...get(H), ...i32(1), OP.and,
    OP.if, OP.void,
    // bit-packed: H >> 1 groups of 8 values, `width` bytes each, all before `end`
    ...set(N, ...get(H), ...i32(1), OP.shrU),
    ...get(N), ...get(END), ...get(P), OP.sub, ...get(W), OP.divU, OP.gtU, OP.if, OP.void, ...fail, OP.end,
    ...set(Q, ...get(O), ...minU([...get(N), ...i32(3), OP.shl], [...get(STOP), ...get(O), OP.sub, ...i32(2), OP.shrU]), ...i32(2), OP.shl, OP.add),
    ...set(BIT, ...get(P), ...i32(3), OP.shl),
    ...fillTo(
      [...get(BIT), ...i32(3), OP.shrU, OP.load64, 0, 0, ...get(BIT), ...i32(7), OP.and, OP.extendU, OP.shrU64, OP.wrap, ...get(MASK), OP.and],
      [...set(BAD, ...get(BAD), ...get(V), ...get(LIM), OP.gtU, OP.or), ...set(BIT, ...get(BIT), ...get(W), OP.add)],
    ),
    ...set(P, ...get(P), ...get(N), ...get(W), OP.mul, OP.add),
    OP.else,
    // RLE: H >> 1 copies of one value in (width + 7) / 8 bytes
    ...get(P), ...get(W), ...i32(7), OP.add, ...i32(3), OP.shrU, OP.add, ...get(END), OP.gtU, OP.if, OP.void, ...fail, OP.end,
    ...set(V, ...get(P), OP.load, 0, 0, ...get(VMASK), OP.and),
    ...get(V), ...get(LIM), OP.gtU, OP.if, OP.void, ...fail, OP.end,
    ...set(P, ...get(P), ...get(W), ...i32(7), OP.add, ...i32(3), OP.shrU, OP.add),
    ...set(Q, ...get(O), ...minU([...get(H), ...i32(1), OP.shrU], [...get(STOP), ...get(O), OP.sub, ...i32(2), OP.shrU]), ...i32(2), OP.shl, OP.add),
    ...set(B, ...get(V)),
    ...fillTo(get(B), []),
    OP.end,
    OP.br, 0,
    OP.end, OP.end,
    ...get(BAD), OP.if, OP.void, ...fail, OP.end,
    ...get(P),
    OP.end,
  ];
  const locals = [1, 11, I32];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array {
  return wasmModule(
    section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 1, I32]),
    MEMORY_IMPORT,
    section(3, [1, 0]),
    section(7, [1, ...name('hybrid'), 0x00, 0]),
    section(10, [1, ...body()]),
  );
}

interface Kernel {
  memory: KernelMemory;
  hybrid(p: number, end: number, width: number, o: number, count: number, lim: number): number;
}

let kernel: Kernel | undefined;
let unavailable = false;

/**
 * Compiles the kernel (and creates the thread's kernel memory) ahead of the first page, as
 * part of loading the Parquet reader's code (`ts.startWorkers`). Creating the memory made V8
 * collect garbage for "external memory pressure": 15 ms inside a thread's first row group.
 */
export function loadIndexKernel(): boolean {
  return load() !== undefined;
}

function load(): Kernel | undefined {
  if (kernel || unavailable) return kernel;
  const ex = kernelInstance(moduleBytes());
  if (ex) kernel = { memory: kernelMemory()!, hybrid: ex.hybrid as Kernel['hybrid'] };
  else unavailable = true;
  return kernel;
}

/** Pages with fewer values are decoded in JS: copying in and out would cost more than it saves. */
const MIN_VALUES = 256;

/**
 * The kernel's part of {@link decodeIndices}: decodes in WebAssembly and returns the
 * position after the last run read, or -1 when it did not take the page (too small, not
 * well formed, a value at or above `limit`, no WebAssembly); it may then have written part of
 * `out[outPos, outPos + count)`, which the JS decoder overwrites or leaves to an error.
 * @example if (wasmIndices(page, 1, page.length, 9, codes, 0, n, 300) < 0) readHybrid(...)
 */
export function wasmIndices(
  buf: Uint8Array, pos: number, end: number, width: number,
  out: Int32Array, outPos: number, count: number, limit: number,
): number {
  const len = end - pos, direct = inKernelMemory(out);
  const outAt = direct ? out.byteOffset + 4 * outPos : (len + 16 + 7) & ~7;
  const need = direct ? len + 16 : outAt + 4 * count;
  const k = count >= MIN_VALUES && width >= 1 && width <= 32 && limit >= 1 && need <= WORK_BYTES ? load() : undefined;
  if (!k) return -1;
  const mem = new Uint8Array(k.memory.buffer);
  mem.set(buf.subarray(pos, end), 0);
  mem.fill(0, len, len + 16);
  const r = k.hybrid(0, len, width, outAt, count, Math.min(limit, 2 ** 32) - 1);
  if (r < 0) return -1;
  if (!direct) out.set(new Int32Array(k.memory.buffer, outAt, count), outPos);
  return pos + r;
}

/**
 * {@link readHybrid} for dictionary indices: decodes `count` values of bit width `width`
 * from `buf[pos, end)` into `out[outPos, ...)`, each checked to be below `limit`, in
 * WebAssembly when it can, and returns the position after the last run read.
 * @example decodeIndices(page, 1, page.length, page[0], codes, 0, n, dict.length)
 */
export function decodeIndices(
  buf: Uint8Array, pos: number, end: number, width: number,
  out: Int32Array, outPos: number, count: number, limit: number,
): number {
  const r = wasmIndices(buf, pos, end, width, out, outPos, count, limit);
  return r >= 0 ? r : readHybrid(buf, pos, end, width, out, outPos, count, limit);
}
