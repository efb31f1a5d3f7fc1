/**
 * Philox4x32-10 uniforms in WebAssembly. The round function needs the high word of a 32x32-bit
 * product: JS can only build it from 16-bit partial products (or BigInt, slower still), while
 * wasm has a 64-bit multiply, so the same blocks come out several times faster. The module is
 * assembled here from opcodes rather than shipped as a binary, so what it does stays readable.
 *
 * Exported `fill(ptr, blocks, blockLo, blockHi, k0, k1)` writes, for each of `blocks` counters
 * starting at (blockLo, blockHi, 0, 0), the two 53-bit uniforms built from words (0,1) and
 * (2,3) as consecutive float64 at `ptr`: bit for bit what `philox4x32` + `toUniform` give.
 * `fill4(ptr, groups, blockLo, blockHi, k0, k1)` does the same for `4 * groups` blocks with
 * 128-bit SIMD, four blocks per lane set (`i64x2.extmul_*_i32x4_u` gives four 32x32->64-bit
 * products in two instructions); the low counter word must not wrap within the call.
 */

import { f64Bytes, I32, name, OP, section, sleb, uleb, wasmApi, wasmModule } from '../wasm/assemble.js';

const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;

// locals: 0..5 params, then i32 c0..c3 kk0 kk1, then i64 p0 p1
const PTR = 0, N = 1, BLO = 2, BHI = 3, K0 = 4, K1 = 5;
const C0 = 6, C1 = 7, C2 = 8, C3 = 9, KK0 = 10, KK1 = 11, P0 = 12, P1 = 13;


/** One Philox round: (c0..c3) <- (hi(c2*M1)^c1^k0, lo(c2*M1), hi(c0*M0)^c3^k1, lo(c0*M0)), then the key bump. */
function round(last: boolean): number[] {
  const hi = (p: number) => [OP.get, p, OP.i64, ...sleb(32), OP.shrU64, OP.wrap];
  return [
    OP.get, C0, OP.extendU, OP.i64, ...sleb(M0), OP.mul64, OP.set, P0,
    OP.get, C2, OP.extendU, OP.i64, ...sleb(M1), OP.mul64, OP.set, P1,
    ...hi(P1), OP.get, C1, OP.xor, OP.get, KK0, OP.xor, OP.set, C0,
    ...hi(P0), OP.get, C3, OP.xor, OP.get, KK1, OP.xor, OP.set, C2,
    OP.get, P1, OP.wrap, OP.set, C1,
    OP.get, P0, OP.wrap, OP.set, C3,
    ...(last ? [] : [
      OP.get, KK0, OP.i32, ...sleb(W0 | 0), OP.add, OP.set, KK0,
      OP.get, KK1, OP.i32, ...sleb(W1 | 0), OP.add, OP.set, KK1,
    ]),
  ];
}

/** Stores ((a >>> 5) * 2^26 + (b >>> 6)) * 2^-53 at ptr + offset. */
function store(a: number, b: number, offset: number): number[] {
  return [
    OP.get, PTR,
    OP.get, a, OP.i32, 5, OP.shrU, OP.f64FromU32, OP.f64, ...f64Bytes(67108864), OP.mulF,
    OP.get, b, OP.i32, 6, OP.shrU, OP.f64FromU32, OP.addF,
    OP.f64, ...f64Bytes(1 / 9007199254740992), OP.mulF,
    OP.storeF, 3, ...uleb(offset),
  ];
}

function body(): number[] {
  const code = [
    OP.block, OP.void,
    OP.get, N, OP.eqz, OP.brIf, 0,
    OP.loop, OP.void,
    OP.get, BLO, OP.set, C0, OP.get, BHI, OP.set, C1,
    OP.i32, 0, OP.set, C2, OP.i32, 0, OP.set, C3,
    OP.get, K0, OP.set, KK0, OP.get, K1, OP.set, KK1,
  ];
  for (let r = 0; r < 10; r++) code.push(...round(r === 9));
  code.push(
    ...store(C0, C1, 0), ...store(C2, C3, 8),
    OP.get, PTR, OP.i32, 16, OP.add, OP.set, PTR,
    // 64-bit block counter as two words: carry into the high word on wrap-around
    OP.get, BLO, OP.i32, 1, OP.add, OP.tee, BLO, OP.eqz,
    OP.if, OP.void, OP.get, BHI, OP.i32, 1, OP.add, OP.set, BHI, OP.end,
    OP.get, N, OP.i32, 1, OP.sub, OP.tee, N, OP.brIf, 0,
    OP.end, OP.end, OP.end,
  );
  const locals = [2, 6, 0x7f, 2, 0x7e]; // 6 x i32, 2 x i64
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/** SIMD instruction (0xfd prefix) with its immediates. */
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const V = {
  store: 0x0b, const: 0x0c, shuffle: 0x0d, splat32: 0x11, xor: 0x51, shrU32: 0xad, add32: 0xae,
  mulLowU: 0xde, mulHighU: 0xdf, addF64: 0xf0, mulF64: 0xf2, fromLowU32: 0xff,
} as const;
const u32x4 = (a: number, b: number, c: number, d: number): number[] => simd(V.const, ...new Uint8Array(new Uint32Array([a, b, c, d]).buffer));
const f64x2 = (v: number): number[] => simd(V.const, ...f64Bytes(v), ...f64Bytes(v));
/** i8x16.shuffle picking 32-bit lanes (0-3 first operand, 4-7 second). */
const pick32 = (...lanes: number[]): number[] => simd(V.shuffle, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
/** i8x16.shuffle picking 64-bit lanes (0-1 first operand, 2-3 second). */
const pick64 = (a: number, b: number): number[] => simd(V.shuffle, ...[a, b].flatMap((l) => Array.from({ length: 8 }, (_, i) => 8 * l + i)));

// fill4 locals after the 6 params: v128 counter base, c0..c3, k0, k1, products pa..pd
const VB = 6, V0 = 7, V1 = 8, V2 = 9, V3 = 10, VK0 = 11, VK1 = 12, PA = 13, PB = 14, PC = 15, PD = 16;

function roundX4(last: boolean): number[] {
  const hi = pick32(1, 3, 5, 7), lo = pick32(0, 2, 4, 6);
  return [
    OP.get, V0, ...u32x4(M0, M0, M0, M0), ...simd(V.mulLowU), OP.set, PA,
    OP.get, V0, ...u32x4(M0, M0, M0, M0), ...simd(V.mulHighU), OP.set, PB,
    OP.get, V2, ...u32x4(M1, M1, M1, M1), ...simd(V.mulLowU), OP.set, PC,
    OP.get, V2, ...u32x4(M1, M1, M1, M1), ...simd(V.mulHighU), OP.set, PD,
    OP.get, PC, OP.get, PD, ...hi, OP.get, V1, ...simd(V.xor), OP.get, VK0, ...simd(V.xor), OP.set, V0,
    OP.get, PA, OP.get, PB, ...hi, OP.get, V3, ...simd(V.xor), OP.get, VK1, ...simd(V.xor), OP.set, V2,
    OP.get, PC, OP.get, PD, ...lo, OP.set, V1,
    OP.get, PA, OP.get, PB, ...lo, OP.set, V3,
    ...(last ? [] : [
      OP.get, VK0, ...u32x4(W0, W0, W0, W0), ...simd(V.add32), OP.set, VK0,
      OP.get, VK1, ...u32x4(W1, W1, W1, W1), ...simd(V.add32), OP.set, VK1,
    ]),
  ];
}

/** Uniforms of lanes 0,1 (or 2,3 when `high`) of words (a, b): ((a >>> 5) * 2^26 + (b >>> 6)) * 2^-53 as f64x2. */
function uniformsX2(a: number, b: number, high: boolean): number[] {
  // the conversion reads lanes 0,1: lanes 2,3 are first shuffled down (next to a zero vector)
  const lanes = (v: number, shift: number) => [
    OP.get, v, OP.i32, shift, ...simd(V.shrU32), ...(high ? [...u32x4(0, 0, 0, 0), ...pick32(2, 3, 4, 5)] : []), ...simd(V.fromLowU32),
  ];
  return [
    ...lanes(a, 5), ...f64x2(67108864), ...simd(V.mulF64),
    ...lanes(b, 6), ...simd(V.addF64),
    ...f64x2(1 / 9007199254740992), ...simd(V.mulF64),
  ];
}

function bodyX4(): number[] {
  const code = [
    OP.block, OP.void,
    OP.get, N, OP.eqz, OP.brIf, 0,
    OP.get, BLO, ...simd(V.splat32), ...u32x4(0, 1, 2, 3), ...simd(V.add32), OP.set, VB,
    OP.loop, OP.void,
    OP.get, VB, OP.set, V0, OP.get, BHI, ...simd(V.splat32), OP.set, V1,
    ...u32x4(0, 0, 0, 0), OP.set, V2, ...u32x4(0, 0, 0, 0), OP.set, V3,
    OP.get, K0, ...simd(V.splat32), OP.set, VK0, OP.get, K1, ...simd(V.splat32), OP.set, VK1,
  ];
  for (let r = 0; r < 10; r++) code.push(...roundX4(r === 9));
  // four blocks' uniforms (the product locals are free again), stored interleaved as
  // block 0 (a, b), block 1 (a, b), ...
  const pair = (off: number, x: number, y: number, lanes: [number, number]) => [OP.get, PTR, OP.get, x, OP.get, y, ...pick64(...lanes), ...simd(V.store, 4, ...uleb(off))];
  code.push(
    ...uniformsX2(V0, V1, false), OP.set, PA, ...uniformsX2(V2, V3, false), OP.set, PB,
    ...uniformsX2(V0, V1, true), OP.set, PC, ...uniformsX2(V2, V3, true), OP.set, PD,
    ...pair(0, PA, PB, [0, 2]), ...pair(16, PA, PB, [1, 3]), ...pair(32, PC, PD, [0, 2]), ...pair(48, PC, PD, [1, 3]),
    OP.get, PTR, OP.i32, ...sleb(64), OP.add, OP.set, PTR,
    OP.get, VB, ...u32x4(4, 4, 4, 4), ...simd(V.add32), OP.set, VB,
    OP.get, N, OP.i32, 1, OP.sub, OP.tee, N, OP.brIf, 0,
    OP.end, OP.end, OP.end,
  );
  const locals = [1, 11, 0x7b]; // 11 x v128
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/** Pages (64 KiB) of the module's memory: the scratch buffer uniforms are written to. */
const PAGES = 16;

/**
 * Blocks per call that fit the scratch buffer (two float64 per block).
 * @example philoxWasm().fill(0, WASM_BLOCKS, 0, 0, 1, 0) // fills the whole scratch buffer
 */
export const WASM_BLOCKS = (PAGES * 65536) / 16;

function moduleBytes(): Uint8Array {
  return wasmModule(
    section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]),
    section(3, [2, 0, 0]),
    section(5, [1, 0x00, ...uleb(PAGES)]),
    section(7, [3, ...name('fill'), 0x00, 0, ...name('fill4'), 0x00, 1, ...name('mem'), 0x02, 0]),
    section(10, [2, ...body(), ...bodyX4()]),
  );
}

/**
 * The instantiated kernel: `fill` and a view of its scratch memory.
 * @example const w: PhiloxWasm = philoxWasm(); w.fill4(0, 1, 0, 0, 42, 0); // 8 uniforms
 */
export interface PhiloxWasm {
  fill(ptr: number, blocks: number, blockLo: number, blockHi: number, k0: number, k1: number): void;
  fill4(ptr: number, groups: number, blockLo: number, blockHi: number, k0: number, k1: number): void;
  scratch: Float64Array;
}

let instance: PhiloxWasm | undefined;

/**
 * The kernel of this thread, compiled on first use (a few hundred bytes, synchronous).
 * @example
 * const w = philoxWasm(); w.fill(0, 4, 0, 0, 42, 0); w.scratch.subarray(0, 8) // 8 uniforms
 */
export function philoxWasm(): PhiloxWasm {
  if (!instance) {
    const wasm = wasmApi();
    const inst = new wasm.Instance(new wasm.Module(moduleBytes()), {});
    const mem = inst.exports.mem as { buffer: ArrayBuffer };
    instance = { fill: inst.exports.fill as PhiloxWasm['fill'], fill4: inst.exports.fill4 as PhiloxWasm['fill4'], scratch: new Float64Array(mem.buffer) };
  }
  return instance;
}
