/**
 * Helpers for the small WebAssembly kernels that are assembled from opcodes in TypeScript
 * (so what they do stays readable next to the JS they replace): LEB128 integers, sections,
 * names, float constants, and the WebAssembly API the compiler's ES2022 lib does not declare.
 */

/**
 * Unsigned LEB128.
 * @example uleb(300) // [0xac, 0x02]
 */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
  return out;
}

/**
 * Signed LEB128 (i32.const / i64.const immediates).
 * @example sleb(-1) // [0x7f]
 */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = ((n % 128) + 128) % 128;
    n = Math.floor(n / 128);
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** Little-endian bytes of a float64 (f64.const immediates). @example f64Bytes(1).length // 8 */
export const f64Bytes = (v: number): number[] => [...new Uint8Array(new Float64Array([v]).buffer)];
/** A section: id, byte length, body. @example section(3, [1, 0]) */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A name as length + ASCII bytes. @example name('scan') */
export const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

/**
 * The part of the WebAssembly global these kernels use.
 * @example const wasm = wasmApi(); new wasm.Instance(new wasm.Module(bytes), {});
 */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The opcodes the kernels use, under one name each. */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, ret: 0x0f, select: 0x1b, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22, i32: 0x41, i64: 0x42, f64: 0x44,
  load: 0x28, load64: 0x29, loadF: 0x2b, load8u: 0x2d, store: 0x36, storeF: 0x39, store8: 0x3a,
  eqz: 0x45, eq: 0x46, ltS: 0x48, ltU: 0x49, gtU: 0x4b, geU: 0x4f, ctz: 0x68,
  add: 0x6a, sub: 0x6b, mul: 0x6c, divU: 0x6e, and: 0x71, or: 0x72, xor: 0x73, shl: 0x74, shrU: 0x76,
  mul64: 0x7e, shrU64: 0x88, addF: 0xa0, mulF: 0xa2, wrap: 0xa7, extendU: 0xad, f64FromU32: 0xb8,
} as const;

/** Value types. */
export const I32 = 0x7f, F64 = 0x7c;

/** local.get. @example get(0) // [0x20, 0] */
export const get = (l: number): number[] => [OP.get, l];
/** `value` then local.set. @example set(2, ...get(0)) */
export const set = (l: number, ...value: number[]): number[] => [...value, OP.set, l];
/** i32.const. @example i32(-1) // [0x41, 0x7f] */
export const i32 = (v: number): number[] => [OP.i32, ...sleb(v)];

/** A module: the header, then its sections in order. @example wasmModule(section(1, types), ...) */
export const wasmModule = (...sections: number[][]): Uint8Array =>
  new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);

/** The global WebAssembly object. @example wasmApi().Module */
export const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
