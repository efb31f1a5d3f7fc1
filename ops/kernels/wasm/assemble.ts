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

/** The global WebAssembly object. @example wasmApi().Module */
export const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
