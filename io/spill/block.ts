/**
 * The spill block format: a 12-byte little-endian header (stored length, raw length, flags)
 * followed by one Arrow IPC stream holding one record batch, zstd-compressed when flag bit 0
 * is set (blocks under 32 KiB, or that zstd does not shrink, are stored as they are). Each
 * block carries its own schema message (a few hundred bytes), so any block can be decoded
 * alone and a reader never needs state from earlier blocks.
 */
import * as arrow from 'apache-arrow';
import { batchToRecordBatch, recordBatchToBatch } from '../../core/arrow.js';
import { batchBytes, batchSchema, type Batch } from '../../core/types.js';
import { plainBatch } from '../../ops/column/dict.js';
import { sliceBatch } from '../../ops/column/take.js';
import { compressBlock, decompressBlock } from './codec.js';

/**
 * Bytes of a block header.
 * @example const payload = bytes.subarray(HEADER_BYTES)
 */
export const HEADER_BYTES = 12;
const ZSTD = 1;
/** Below this many bytes a block is stored as it is: the codec's fixed cost per call outweighs the saving. */
const MIN_COMPRESS_BYTES = 32 * 1024;

/**
 * How blocks are written.
 * @example await encodeBlock(batch, { compression: 'zstd', level: 1 })
 */
export interface BlockOptions {
  compression: 'zstd' | 'none';
  /** zstd level; 1 favours speed, which is what a spill wants */
  level: number;
}

/**
 * A parsed block header.
 * @example const { stored, raw, zstd } = parseHeader(bytes)
 */
export interface BlockHeader { stored: number; raw: number; zstd: boolean }

/**
 * Row slices of `batch` of about `maxBytes` each (at least one row), dictionary columns in
 * plain form, so every block stays small enough for the one-shot codec.
 * @example for (const piece of blockSlices(batch, 1 << 20)) await write(piece)
 */
export function blockSlices(batch: Batch, maxBytes: number): Batch[] {
  const b = plainBatch(batch);
  const bytes = batchBytes(b);
  if (bytes <= maxBytes || b.length <= 1) return [b];
  const rows = Math.max(1, Math.floor((b.length * maxBytes) / bytes));
  const out: Batch[] = [];
  for (let s = 0; s < b.length; s += rows) out.push(sliceBatch(b, s, Math.min(b.length, s + rows)));
  return out;
}

/**
 * One block (header + payload) holding `batch`.
 * @example const bytes = await encodeBlock(batch, { compression: 'zstd', level: 1 })
 */
export async function encodeBlock(batch: Batch, opts: BlockOptions): Promise<{ bytes: Uint8Array; raw: number }> {
  const rb = batchToRecordBatch(batch, batchSchema(batch));
  const ipc = arrow.RecordBatchStreamWriter.writeAll([rb]).toUint8Array(true);
  let payload = ipc, flags = 0;
  if (opts.compression === 'zstd' && ipc.length >= MIN_COMPRESS_BYTES) {
    const z = await compressBlock(ipc, opts.level);
    // incompressible data is stored as it is: decoding it would be wasted work
    if (z.length < ipc.length) { payload = z; flags = ZSTD; }
  }
  const bytes = new Uint8Array(HEADER_BYTES + payload.length);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, payload.length, true);
  dv.setUint32(4, ipc.length, true);
  dv.setUint32(8, flags, true);
  bytes.set(payload, HEADER_BYTES);
  return { bytes, raw: ipc.length };
}

/**
 * The header at the start of `bytes`.
 * @example const { stored } = parseHeader(headerBytes)
 */
export function parseHeader(bytes: Uint8Array): BlockHeader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  return { stored: dv.getUint32(0, true), raw: dv.getUint32(4, true), zstd: (dv.getUint32(8, true) & ZSTD) !== 0 };
}

/**
 * The batch a block's payload holds.
 * @example const batch = await decodeBlock(header, payload)
 */
export async function decodeBlock(h: BlockHeader, payload: Uint8Array): Promise<Batch> {
  const ipc = h.zstd ? await decompressBlock(payload, h.raw) : payload;
  const rbs = arrow.RecordBatchReader.from(ipc).readAll();
  if (rbs.length !== 1) throw new Error(`spill block holds ${rbs.length} record batches, expected 1`);
  return recordBatchToBatch(rbs[0]);
}
