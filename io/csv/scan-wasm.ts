/**
 * The CSV tokenizer's scan for delimiters and line feeds in WebAssembly SIMD: 16 bytes are
 * compared at once (i8x16.eq, i8x16.bitmask) and the matches read off the mask with ctz,
 * where the JS scan works on 4-byte words with bit tricks. The scan reads bytes in the
 * module's own memory, so the bytes must be there: the thread's scratch read buffer
 * (io/scratch.ts) lives in this memory, and CSV partitions are read straight into it.
 *
 * Memory layout: [0, 64 KiB) delimiter positions, [64 KiB, 128 KiB) line feed positions,
 * 128 KiB the line feed count, from 256 KiB the scratch buffer. A scan covers at most
 * {@link MAX_SCAN} bytes, so each position list fits its 64 KiB.
 */
import { I32, name, OP, section, sleb, uleb, wasmApi, wasmModule } from '../../ops/kernels/wasm/assemble.js';

/** Bytes one scan may cover (the tokenizer's window). */
export const MAX_SCAN = 1 << 14;
const OUT_L = 1 << 16;
const COUNT_L = 1 << 17;
/** Where the scratch buffer starts in the memory. */
export const SCRATCH_AT = 1 << 18;
const PAGE = 65536;
/** The operating system's memory page (4 KiB on the platforms Node runs on; larger pages divide by it). */
const OS_PAGE = 4096;

/**
 * Where in a memory page a buffer for bytes read from `fileOffset` should start: at the
 * offset's own position in its page. The kernel then copies page-cache pages onto whole
 * user pages; a 16 MiB read at file offset 2^24 - 1 into a page-aligned buffer took
 * 5.5-6 ms here, the same read one byte later in the buffer 1.1 ms.
 * @example pagePhase(3 * 4096 + 5) // 5
 */
export function pagePhase(fileOffset: number): number {
  return fileOffset % OS_PAGE;
}

const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const V = { load: 0x00, splat8: 0x0f, eq8: 0x23, bitmask8: 0x64 } as const;

// params: p, end, delim, bias; locals: nd, nl, m, vd, vl, v
const P = 0, END = 1, DELIM = 2, BIAS = 3, ND = 4, NL = 5, M = 6, VD = 7, VL = 8, VV = 9;

/** Stores `p + offsetExpr - bias` at list[count] and increments count. */
function push(count: number, listAt: number, valueAt: number[]): number[] {
  return [
    OP.get, count, OP.i32, 2, OP.shl,
    OP.get, P, ...valueAt, OP.get, BIAS, OP.sub,
    OP.store, 2, ...uleb(listAt),
    OP.get, count, OP.i32, 1, OP.add, OP.set, count,
  ];
}

/** Every set bit of the mask of `vec == pattern` pushed as a position. */
function matches(pattern: number, count: number, listAt: number): number[] {
  return [
    OP.get, VV, OP.get, pattern, ...simd(V.eq8), ...simd(V.bitmask8), OP.set, M,
    OP.block, OP.void, OP.loop, OP.void,
    OP.get, M, OP.eqz, OP.brIf, 1,
    ...push(count, listAt, [OP.get, M, OP.ctz, OP.add]),
    OP.get, M, OP.get, M, OP.i32, 1, OP.sub, OP.and, OP.set, M,
    OP.br, 0,
    OP.end, OP.end,
  ];
}

function body(): number[] {
  const code = [
    OP.get, DELIM, ...simd(V.splat8), OP.set, VD,
    OP.i32, 10, ...simd(V.splat8), OP.set, VL,
    // 16 bytes at a time while they lie before `end`
    OP.block, OP.void, OP.loop, OP.void,
    OP.get, P, OP.i32, 16, OP.add, OP.get, END, OP.gtU, OP.brIf, 1,
    OP.get, P, ...simd(V.load, 0, 0), OP.set, VV,
    ...matches(VD, ND, 0),
    ...matches(VL, NL, OUT_L),
    OP.get, P, OP.i32, 16, OP.add, OP.set, P,
    OP.br, 0,
    OP.end, OP.end,
    // the last bytes one at a time
    OP.block, OP.void, OP.loop, OP.void,
    OP.get, P, OP.get, END, OP.geU, OP.brIf, 1,
    OP.get, P, OP.load8u, 0, 0, OP.tee, M, OP.get, DELIM, OP.eq,
    OP.if, OP.void, ...push(ND, 0, []),
    OP.else, OP.get, M, OP.i32, 10, OP.eq, OP.if, OP.void, ...push(NL, OUT_L, []), OP.end,
    OP.end,
    OP.get, P, OP.i32, 1, OP.add, OP.set, P,
    OP.br, 0,
    OP.end, OP.end,
    OP.i32, ...sleb(COUNT_L), OP.get, NL, OP.store, 2, 0,
    OP.get, ND,
    OP.end,
  ];
  const locals = [2, 3, 0x7f, 3, 0x7b];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(pages: number): Uint8Array {
  return wasmModule(
    section(1, [1, 0x60, 4, I32, I32, I32, I32, 1, I32]),
    section(3, [1, 0]),
    section(5, [1, 0x00, ...uleb(pages)]),
    section(7, [2, ...name('scan'), 0x00, 0, ...name('mem'), 0x02, 0]),
    section(10, [1, ...body()]),
  );
}

/**
 * This thread's scanner: its memory, the position lists as views of it, and the scan.
 * @example const s = csvScanner(); const nd = s.scan(buf.byteOffset + p, buf.byteOffset + stop, 44, buf.byteOffset);
 */
export interface CsvScanner {
  /** the memory the scanned bytes must be in */
  readonly memory: { buffer: ArrayBuffer; grow(pages: number): number };
  /** delimiter positions of the last scan (valid until the memory grows) */
  delims: Int32Array;
  /** line feed positions of the last scan */
  lfs: Int32Array;
  /** Scans memory [p, end) for `delim` and line feeds; positions are stored minus `bias`; returns the delimiter count. */
  scan(p: number, end: number, delim: number, bias: number): number;
  /** Line feeds found by the last scan. */
  lfCount(): number;
  /**
   * A buffer of `bytes` bytes in the memory (the scratch region), growing the memory when
   * needed; with `fileOffset`, placed at the same position within a page as that offset of a
   * file (see {@link pagePhase}).
   */
  scratch(bytes: number, fileOffset?: number): Buffer;
}

let instance: CsvScanner | undefined;
let unavailable = false;

/** The scanner of this thread, compiled on first use; undefined where WebAssembly SIMD is unavailable. */
export function csvScanner(): CsvScanner | undefined {
  if (instance || unavailable) return instance;
  try {
    const wasm = wasmApi();
    const inst = new wasm.Instance(new wasm.Module(moduleBytes(SCRATCH_AT / PAGE)), {});
    const memory = inst.exports.mem as CsvScanner['memory'];
    const scan = inst.exports.scan as CsvScanner['scan'];
    let counts = new Int32Array(memory.buffer, COUNT_L, 1);
    const s: CsvScanner = {
      memory,
      delims: new Int32Array(memory.buffer, 0, MAX_SCAN),
      lfs: new Int32Array(memory.buffer, OUT_L, MAX_SCAN),
      scan,
      lfCount: () => counts[0],
      scratch(bytes, fileOffset = 0) {
        // 16 spare bytes: a vector load never needs them, but a sentinel after the data may
        const need = SCRATCH_AT + OS_PAGE + bytes + 16;
        if (memory.buffer.byteLength < need) {
          memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
          s.delims = new Int32Array(memory.buffer, 0, MAX_SCAN);
          s.lfs = new Int32Array(memory.buffer, OUT_L, MAX_SCAN);
          counts = new Int32Array(memory.buffer, COUNT_L, 1);
        }
        return Buffer.from(memory.buffer, SCRATCH_AT + pagePhase(fileOffset), bytes);
      },
    };
    instance = s;
  } catch {
    unavailable = true;
  }
  return instance;
}
