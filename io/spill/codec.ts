/**
 * zstd for spill blocks, in memory. The wasm build's heap is fixed at 16 MiB and aborts
 * (killing the instance) when a one-shot call does not fit, so the one-shot API, which is
 * the fast one, only ever sees blocks up to {@link ONE_SHOT_MAX}; larger blocks (a single
 * row bigger than a block, e.g. a huge distinct-value set) go through the streaming API.
 */
import { createRequire } from 'node:module';
import { zstdCompress } from '../compress.js';

/**
 * Raw block sizes up to this use the one-shot calls (source + destination fit the heap twice over).
 * @example raw.length <= ONE_SHOT_MAX // one-shot path
 */
export const ONE_SHOT_MAX = 2 * 1024 * 1024;

interface Vec { resize(n: number, fill: number): void; delete(): void }
interface Codec {
  compressBound(n: number): number;
  compress(dest: Vec, src: Vec, level: number): number;
  decompress(dest: Vec, src: Vec): number;
}
interface Stream {
  begin(level?: number): boolean;
  transform(chunk: Uint8Array, cb: (out: Uint8Array) => void): boolean;
  end(cb: (out: Uint8Array) => void): boolean;
  delete(): void;
}
interface Binding {
  ZstdCodec: new () => Codec;
  VectorU8: new () => Vec;
  ZstdDecompressStreamBinding: new () => Stream;
  cloneToVector(v: Vec, data: Uint8Array): void;
  cloneAsTypedArray(v: Vec): Uint8Array;
}

let loading: Promise<{ b: Binding; codec: Codec }> | undefined;

/** One wasm instance per thread for spill blocks, created on first use. */
function load(): Promise<{ b: Binding; codec: Codec }> {
  // the emscripten Module is a thenable, so it travels wrapped: a promise would adopt it
  loading ??= new Promise((resolve, reject) => {
    try {
      const require = createRequire(import.meta.url);
      const mod = require('zstd-codec/lib/module.js') as { run(f: (b: Binding) => void): void };
      mod.run((b) => resolve({ b, codec: new b.ZstdCodec() }));
    } catch (e) {
      reject(e);
    }
  });
  return loading;
}

/**
 * One zstd frame holding `raw`.
 * @example const z = await compressBlock(bytes, 1)
 */
export async function compressBlock(raw: Uint8Array, level: number): Promise<Uint8Array> {
  if (raw.length > ONE_SHOT_MAX) return zstdCompress(raw, level);
  const { b, codec } = await load();
  const src = new b.VectorU8(), dest = new b.VectorU8();
  try {
    b.cloneToVector(src, raw);
    dest.resize(codec.compressBound(raw.length), 0);
    const n = codec.compress(dest, src, level);
    if (n < 0) throw new Error(`zstd compression failed (code ${n})`);
    dest.resize(n, 0);
    return b.cloneAsTypedArray(dest);
  } finally {
    src.delete(); dest.delete();
  }
}

/**
 * The `rawLength` bytes a frame from {@link compressBlock} holds; throws when the data is
 * corrupt or decodes to another length.
 * @example const raw = await decompressBlock(z, rawLength)
 */
export async function decompressBlock(data: Uint8Array, rawLength: number): Promise<Uint8Array> {
  const { b, codec } = await load();
  if (rawLength > ONE_SHOT_MAX) return streamDecompress(b, data, rawLength);
  const src = new b.VectorU8(), dest = new b.VectorU8();
  try {
    b.cloneToVector(src, data);
    dest.resize(rawLength, 0);
    const n = codec.decompress(dest, src);
    if (n !== rawLength) throw new Error(`zstd block decodes to ${n} bytes, expected ${rawLength}`);
    return b.cloneAsTypedArray(dest);
  } finally {
    src.delete(); dest.delete();
  }
}

function streamDecompress(b: Binding, data: Uint8Array, rawLength: number): Uint8Array {
  const out = new Uint8Array(rawLength);
  let o = 0;
  const collect = (c: Uint8Array): void => {
    if (o + c.length > rawLength) throw new Error(`zstd block decodes to more than the expected ${rawLength} bytes`);
    out.set(c, o); o += c.length;
  };
  const s = new b.ZstdDecompressStreamBinding();
  try {
    if (!s.begin()) throw new Error('cannot start the zstd decoder');
    for (let i = 0; i < data.length; i += 1 << 20) {
      if (!s.transform(data.subarray(i, Math.min(data.length, i + (1 << 20))), collect)) throw new Error('corrupt zstd block');
    }
    if (!s.end(collect)) throw new Error('corrupt zstd block');
  } finally {
    s.delete();
  }
  if (o !== rawLength) throw new Error(`zstd block decodes to ${o} bytes, expected ${rawLength}`);
  return out;
}
