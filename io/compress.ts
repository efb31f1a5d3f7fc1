/**
 * Whole-file compression of inputs: gzip (node:zlib) and zstd (the `zstd-codec` wasm build).
 *
 * zstd-codec's wasm heap is fixed at 16 MiB, so its one-shot API aborts on large inputs;
 * here the compressed file is fed to its streaming binding in 1 MiB pieces and the output
 * comes back in ~128 KiB pieces, so the size of the file never matters. The streaming
 * binding does not notice a frame cut short (it just stops producing output), so the
 * compressed stream is also walked frame by frame (see {@link ZstdFrameWalker}) to report
 * a truncated file instead of silently returning part of it.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createGunzip } from 'node:zlib';
import { IOError, ParseError } from '../core/errors.js';

/** A concrete compression codec. */
export type Compression = 'none' | 'gzip' | 'zstd';
/** What a user may ask for: a codec, or `'infer'` from the file extension. */
export type CompressionOption = 'infer' | Compression;

const PIECE = 1 << 20;

/**
 * The codec of a file: the one asked for, or with `'infer'` (the default) `gzip` for `.gz`,
 * `zstd` for `.zst` / `.zstd`, else `none`.
 * @example detectCompression('data.csv.gz') // 'gzip'
 */
export function detectCompression(path: string, option: CompressionOption | undefined = 'infer'): Compression {
  if (option === 'none' || option === 'gzip' || option === 'zstd') return option;
  const p = path.toLowerCase();
  if (p.endsWith('.gz') || p.endsWith('.gzip')) return 'gzip';
  if (p.endsWith('.zst') || p.endsWith('.zstd')) return 'zstd';
  return 'none';
}

/**
 * The decompressed bytes of a file as a stream of chunks (for `'none'`, the file itself).
 * Stopping the iteration early releases the file and the decoder.
 * @throws IOError naming the file when it cannot be read; ParseError naming it when the
 *   compressed data is corrupt or truncated.
 * @example for await (const chunk of decompressedChunks('x.csv.zst', 'zstd')) total += chunk.length;
 */
export async function* decompressedChunks(path: string, compression: Compression): AsyncGenerator<Uint8Array> {
  if (compression === 'gzip') yield* gunzipChunks(path);
  else if (compression === 'zstd') yield* zstdChunks(path);
  else yield* rawChunks(path);
}

/**
 * The decompressed bytes of a file in one buffer. With `maxBytes`, stops once at least
 * that many bytes are decoded (the result may be a little longer): a prefix for sampling.
 * `spare` extra zero bytes are allocated after the data (callers use them as a sentinel).
 * @example const bytes = await readDecompressed('x.csv.gz', 'gzip');
 */
export async function readDecompressed(path: string, compression: Compression, opts: { maxBytes?: number; spare?: number } = {}): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of decompressedChunks(path, compression)) {
    parts.push(c); total += c.length;
    if (opts.maxBytes !== undefined && total >= opts.maxBytes) break;
  }
  const out = new Uint8Array(total + (opts.spare ?? 0));
  let o = 0;
  for (const c of parts) { out.set(c, o); o += c.length; }
  return out;
}

function ioError(path: string, e: unknown): IOError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new IOError(`no such file: ${path}`, path, { cause: e });
  if (code === 'EISDIR') return new IOError(`${path} is a directory`, path, { cause: e });
  return new IOError(`cannot read ${path}: ${(e as Error).message}`, path, { cause: e });
}

async function* rawChunks(path: string): AsyncGenerator<Uint8Array> {
  let fh;
  try { fh = await open(path, 'r'); } catch (e) { throw ioError(path, e); }
  try {
    for (;;) {
      const buf = new Uint8Array(PIECE);
      let n;
      try { ({ bytesRead: n } = await fh.read(buf, 0, PIECE, null)); } catch (e) { throw ioError(path, e); }
      if (n === 0) return;
      yield n === PIECE ? buf : buf.subarray(0, n);
    }
  } finally {
    await fh.close();
  }
}

async function* gunzipChunks(path: string): AsyncGenerator<Uint8Array> {
  const src = createReadStream(path, { highWaterMark: PIECE });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  let srcError: unknown;
  src.on('error', (e) => { srcError = e; gunzip.destroy(e); });
  src.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (e) {
    if (srcError !== undefined) throw ioError(path, srcError);
    throw new ParseError(`${path}: corrupt or truncated gzip data (${(e as Error).message})`, { file: path }, { cause: e });
  } finally {
    src.destroy();
    gunzip.destroy();
  }
}

interface ZstdStream {
  begin(level?: number): boolean;
  transform(chunk: Uint8Array, cb: (out: Uint8Array) => void): boolean;
  end(cb: (out: Uint8Array) => void): boolean;
  delete(): void;
}
interface ZstdBinding {
  ZstdDecompressStreamBinding: new () => ZstdStream;
  ZstdCompressStreamBinding: new () => ZstdStream;
}

let binding: Promise<{ b: ZstdBinding }> | undefined;

/** The wasm module is instantiated once per thread and shared by every stream. */
function zstdBinding(): Promise<{ b: ZstdBinding }> {
  // the emscripten Module is a thenable, so it travels wrapped: a promise would adopt it
  binding ??= new Promise<{ b: ZstdBinding }>((resolve, reject) => {
    try {
      const require = createRequire(import.meta.url);
      const mod = require('zstd-codec/lib/module.js') as { run(f: (b: ZstdBinding) => void): void };
      mod.run((b) => resolve({ b }));
    } catch (e) {
      reject(e);
    }
  });
  return binding;
}

async function* zstdChunks(path: string): AsyncGenerator<Uint8Array> {
  const { b } = await zstdBinding();
  let fh;
  try { fh = await open(path, 'r'); } catch (e) { throw ioError(path, e); }
  const stream = new b.ZstdDecompressStreamBinding();
  const walker = new ZstdFrameWalker();
  let offset = 0;
  const corrupt = (why: string) => new ParseError(`${path}: ${why} at compressed byte ${offset}`, { file: path, offset });
  try {
    if (!stream.begin()) throw corrupt('cannot start the zstd decoder');
    const out: Uint8Array[] = [];
    const collect = (c: Uint8Array) => { out.push(c); };
    const buf = new Uint8Array(PIECE);
    for (;;) {
      let n;
      try { ({ bytesRead: n } = await fh.read(buf, 0, PIECE, null)); } catch (e) { throw ioError(path, e); }
      if (n === 0) break;
      const piece = buf.subarray(0, n);
      const bad = walker.feed(piece);
      if (bad) throw corrupt(`not zstd data (${bad})`);
      if (!stream.transform(piece, collect)) throw corrupt('corrupt zstd data, or a frame whose window exceeds the 16 MiB decoder');
      offset += n;
      while (out.length) yield out.shift()!;
    }
    if (!stream.end(collect)) throw corrupt('corrupt zstd data');
    while (out.length) yield out.shift()!;
    const why = walker.incomplete();
    if (why) throw corrupt(`truncated zstd file (${why})`);
  } finally {
    stream.delete();
    await fh.close();
  }
}

/**
 * Compresses bytes to one zstd frame, in pieces, so any size works despite the 16 MiB
 * wasm heap. Used for spill blocks and to produce test inputs.
 * @example const z = await zstdCompress(bytes, 3)
 */
export async function zstdCompress(data: Uint8Array, level = 3): Promise<Uint8Array> {
  const { b } = await zstdBinding();
  const stream = new b.ZstdCompressStreamBinding();
  const parts: Uint8Array[] = [];
  let total = 0;
  const collect = (c: Uint8Array) => { parts.push(c); total += c.length; };
  try {
    if (!stream.begin(level)) throw new Error('zstd: cannot start the encoder');
    for (let i = 0; i < data.length; i += PIECE) {
      if (!stream.transform(data.subarray(i, Math.min(data.length, i + PIECE)), collect)) throw new Error('zstd: compression failed');
    }
    if (!stream.end(collect)) throw new Error('zstd: compression failed');
  } finally {
    stream.delete();
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const W = { Magic: 0, FrameHeader: 1, BlockHeader: 2, SkippableSize: 3 } as const;
type WalkState = (typeof W)[keyof typeof W];
const FCS_BYTES = [0, 2, 4, 8];
const DID_BYTES = [0, 1, 2, 4];

/**
 * Follows the zstd frame format (RFC 8878) over the compressed bytes, reading only frame
 * and block headers and skipping block contents, to tell whether the input ends exactly
 * at a frame end. Content errors are the decoder's business.
 */
export class ZstdFrameWalker {
  private state: WalkState = W.Magic;
  private need = 4;
  private header: number[] = [];
  private skip = 0;
  private frames = 0;
  private checksum = false;

  /** Consumes the next compressed bytes; returns a reason when they cannot be zstd. */
  feed(chunk: Uint8Array): string | undefined {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, n - i);
        this.skip -= take; i += take;
        continue;
      }
      this.header.push(chunk[i++]);
      if (this.header.length < this.need) continue;
      const h = this.header;
      this.header = [];
      const bad = this.step(h);
      if (bad) return bad;
    }
    return undefined;
  }

  /** Why the stream so far does not end at a frame boundary, or undefined when it does. */
  incomplete(): string | undefined {
    if (this.frames === 0 && this.state === W.Magic && this.header.length === 0) return 'no frame';
    if (this.state === W.Magic && this.header.length === 0 && this.skip === 0) return undefined;
    return 'the data ends inside a frame';
  }

  private step(h: number[]): string | undefined {
    switch (this.state) {
      case W.Magic: {
        const m = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
        if (m === 0xfd2fb528) { this.state = W.FrameHeader; this.need = 1; return undefined; }
        if ((m & 0xfffffff0) >>> 0 === 0x184d2a50) { this.state = W.SkippableSize; this.need = 4; return undefined; }
        return this.frames === 0 ? 'bad magic number' : 'unexpected bytes after the last frame';
      }
      case W.FrameHeader: {
        const d = h[0];
        if (d & 0x08) return 'reserved bit set in a frame header';
        const single = (d >> 5) & 1;
        const fcs = d >> 6;
        this.checksum = ((d >> 2) & 1) === 1;
        this.skip = (single ? 0 : 1) + DID_BYTES[d & 3] + (fcs === 0 ? single : FCS_BYTES[fcs]);
        this.state = W.BlockHeader; this.need = 3;
        return undefined;
      }
      case W.BlockHeader: {
        const v = h[0] | (h[1] << 8) | (h[2] << 16);
        const last = v & 1, type = (v >> 1) & 3, size = v >>> 3;
        if (type === 3) return 'reserved block type';
        this.skip = type === 1 ? 1 : size;
        if (last) {
          this.frames++;
          if (this.checksum) this.skip += 4;
          this.state = W.Magic; this.need = 4;
        }
        return undefined;
      }
      case W.SkippableSize: {
        this.skip = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
        this.frames++;
        this.state = W.Magic; this.need = 4;
        return undefined;
      }
    }
  }
}
