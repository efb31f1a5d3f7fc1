/**
 * The WebAssembly memory this thread's Parquet and aggregation kernels share
 * (io/parquet/hybrid-wasm.ts, ./codes.ts), so that dictionary codes decoded by one kernel are
 * read by the next where they are, instead of being copied out to a JS array and back in.
 *
 * The memory has a fixed size and never grows: growing would detach its buffer and with it
 * every view JS holds. Only the pages written are backed by RAM. Layout:
 * - [0, {@link WORK_BYTES}): each kernel call's own copies of inputs it cannot read in place;
 * - [{@link WORK_BYTES}, end): the thread's reused Int32Arrays for decoded codes (io/scratch.ts).
 *
 * Views of this memory must never leave the thread: its buffer cannot be transferred, and a
 * structured clone would copy all of it ({@link ownedCopy} guards task results).
 */
import type { Batch, Column } from '../../../core/types.js';
import { name, section, wasmApi } from './assemble.js';

/** Bytes kernel calls may use for copies of their inputs (larger calls run in JS). */
export const WORK_BYTES = 32 << 20;
/** Bytes for the reused code arrays. */
export const INT_BYTES = 64 << 20;
const PAGES = (WORK_BYTES + INT_BYTES) / 65536;

/** The part of WebAssembly.Memory used here. */
export interface KernelMemory { readonly buffer: ArrayBuffer }

let memory: KernelMemory | null | undefined;

/** This thread's kernel memory; undefined where WebAssembly is unavailable. */
export function kernelMemory(): KernelMemory | undefined {
  if (memory === undefined) {
    try {
      const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => KernelMemory } }).WebAssembly;
      memory = new wasm.Memory({ initial: PAGES, maximum: PAGES });
    } catch {
      memory = null;
    }
  }
  return memory ?? undefined;
}

/** The import section of a kernel module: the kernel memory, as `env.mem`. */
export const MEMORY_IMPORT = section(2, [1, ...name('env'), ...name('mem'), 0x02, 0x00, 1]);

/**
 * The exports of a kernel module (one importing {@link MEMORY_IMPORT}) instantiated on this
 * thread's kernel memory; undefined where WebAssembly or the memory is unavailable.
 */
export function kernelInstance(bytes: Uint8Array): Record<string, unknown> | undefined {
  const mem = kernelMemory();
  if (!mem) return undefined;
  try {
    const wasm = wasmApi();
    return new wasm.Instance(new wasm.Module(bytes), { env: { mem } }).exports;
  } catch {
    return undefined;
  }
}

/** Whether `a` is a view of the kernel memory (so kernels read it at `a.byteOffset`). */
export function inKernelMemory(a: ArrayBufferView): boolean {
  return memory != null && a.buffer === memory.buffer;
}

/**
 * `batch` with every column that views the kernel memory replaced by a copy (the same batch
 * when none does), for results that cross to another thread.
 * @example return ownedCopy(partial)
 */
export function ownedCopy(batch: Batch): Batch {
  if (!memory) return batch;
  let copied: Record<string, Column> | undefined;
  for (const [name, c] of Object.entries(batch.columns)) {
    const own = ownedColumn(c);
    if (own !== c) (copied ??= { ...batch.columns })[name] = own;
  }
  return copied ? { ...batch, columns: copied } : batch;
}

function ownedColumn(c: Column): Column {
  const dict = c.dictionary ? ownedColumn(c.dictionary) : undefined;
  const shared = [c.values, c.offsets, c.valid].some((a) => a !== undefined && inKernelMemory(a));
  if (!shared && dict === c.dictionary) return c;
  const copy = <T extends ArrayBufferView | undefined>(a: T): T => (a !== undefined && inKernelMemory(a) ? (a as unknown as { slice(): T }).slice() : a);
  return { ...c, values: copy(c.values), offsets: copy(c.offsets), valid: copy(c.valid), ...(dict ? { dictionary: dict } : {}) };
}
