/**
 * One reusable buffer per thread for bytes that never outlive the read that fills them (a
 * CSV partition's raw bytes, decoded into fresh columns; a text block the word-count kernel
 * only reads). A fresh 16 MiB buffer per partition costs page faults and garbage the GC
 * collects late; this one is allocated once and grows to the largest partition. A read that
 * starts while another holds it (two stages interleaving in one thread) gets fresh buffers.
 */
import { INT_BYTES, kernelMemory, WORK_BYTES } from '../ops/kernels/wasm/memory.js';
import { csvScanner } from './csv/scan-wasm.js';

let pool: ArrayBuffer | undefined;
let busy = false;

/**
 * The scratch buffer of `n` bytes: in the CSV scanner's WebAssembly memory (so CSV bytes are
 * scanned where they were read, see io/csv/scan-wasm.ts), else in a plain ArrayBuffer.
 */
function scratchOf(n: number, fileOffset?: number): Buffer {
  const sc = csvScanner();
  if (sc) return sc.scratch(n, fileOffset);
  if (!pool || pool.byteLength < n) pool = new ArrayBuffer(n);
  return Buffer.from(pool, 0, n);
}

/**
 * Allocates a read buffer: the first call of a lease hands out the scratch buffer, later ones
 * (a buffer grown while the first is still being copied from) fresh ones. `fileOffset`, when
 * the bytes will be read from that offset of a file, lets the scratch buffer start at the
 * same position within a memory page, which makes the read several times cheaper (see
 * pagePhase in io/csv/scan-wasm.ts).
 * @example const buf = alloc(1 << 20, start);
 */
export interface ScratchAlloc {
  (bytes: number, fileOffset?: number): Buffer;
  /**
   * An Int32Array of `n` values (not zeroed) for decoded data that does not outlive the
   * lease either (Parquet dictionary codes): the k-th request of a lease reuses the thread's
   * k-th array, a view of the kernel memory where it has room (so WebAssembly kernels read
   * the codes in place). A fresh 4 MB array per column per row group measured 2.5 ms of allocation and
   * page faults per million values, more than decoding into it.
   */
  int32(n: number): Int32Array;
}

const fresh: ScratchAlloc = Object.assign((n: number) => Buffer.allocUnsafe(n), { int32: (n: number) => new Int32Array(n) });

/**
 * Places in the kernel memory's code region (ops/kernels/wasm/memory.ts) handed out by request
 * order within a lease: byte offset and capacity in values. Codes decoded there are read by
 * the WebAssembly kernels without copying. A request larger than its place gets a new one
 * further on; when the region is full, requests get the JS arrays below, and the next lease
 * starts the region over.
 */
const places: { at: number; cap: number }[] = [];
let nextPlace = WORK_BYTES;
let regionFull = false;

function kernelInt32(k: number, n: number): Int32Array | undefined {
  const mem = kernelMemory();
  if (!mem) return undefined;
  let p = places[k];
  if (!p || p.cap < n) {
    const end = WORK_BYTES + INT_BYTES;
    if (nextPlace + 4 * n > end) { regionFull = true; return undefined; }
    const cap = Math.min(roomFor(n), (end - nextPlace) >> 2), bytes = 4 * cap;
    p = places[k] = { at: nextPlace, cap };
    nextPlace += bytes;
  }
  return new Int32Array(mem.buffer, p.at, n);
}

/**
 * Capacity for a request of `n` values: 1/8 more, in 16 Ki-value steps. Row groups of one
 * file differ by a few rows (1,000,025 then 1,000,030 ...): without room, each slightly
 * larger one took a new place, whose fresh pages cost ~5 ms of page faults per million
 * values (measured: 20 ms of a q1 query's 105 ms of worker time).
 */
const roomFor = (n: number): number => (n + (n >> 3) + 16383) & ~16383;

/** The thread's reusable Int32Arrays (where the kernel memory has no room), by request order within a lease, and their bytes. */
const ints: Int32Array[] = [];
/** bytes counted for each of `ints` (a transferred buffer reads as 0 bytes but was counted) */
const counted: number[] = [];
let intBytes = 0;
/** Most bytes the reusable Int32Arrays of one thread may hold; requests beyond get fresh arrays. */
const INT_POOL_MAX = 64 << 20;

/**
 * Runs `fn` with an allocator whose first buffer is this thread's scratch buffer; nothing
 * `fn` returns may keep a view of what it allocated.
 * @example const batch = await withScratch((alloc) => readAndDecode(part, alloc));
 */
export async function withScratch<T>(fn: (alloc: ScratchAlloc) => Promise<T>): Promise<T> {
  if (busy) return fn(fresh);
  busy = true;
  if (regionFull) { places.length = 0; nextPlace = WORK_BYTES; regionFull = false; }
  let handed = false, k = 0;
  const bytes = (n: number, fileOffset?: number): Buffer => {
    if (handed) return fresh(n);
    handed = true;
    return scratchOf(n, fileOffset);
  };
  const int32 = (n: number): Int32Array => {
    const view = kernelInt32(k, n);
    if (view) { k++; return view; }
    let a = ints[k];
    // a buffer that was transferred away reads as length 0 and is replaced
    if (!a || a.length < n) {
      const cap = roomFor(n), grow = 4 * cap - (counted[k] ?? 0);
      if (intBytes + grow > INT_POOL_MAX) return new Int32Array(n);
      a = ints[k] = new Int32Array(cap);
      counted[k] = 4 * cap;
      intBytes += grow;
    }
    k++;
    return a.length === n ? a : a.subarray(0, n);
  };
  try {
    return await fn(Object.assign(bytes, { int32 }));
  } finally {
    busy = false;
  }
}
