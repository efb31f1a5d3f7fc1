/** Reads a spill file's blocks through one buffer, so small blocks do not cost two reads each. */
import type { FileHandle } from 'node:fs/promises';
import { HEADER_BYTES, parseHeader, type BlockHeader } from './block.js';

/** Bytes read from disk at a time (more when a block is bigger). */
const READ_BYTES = 512 * 1024;

/**
 * One block as stored: header, payload (a view into the read buffer) and file offset.
 * @example const { header, payload } = (await readBlocks(fh, 1).next()).value!
 */
export interface RawBlock { header: BlockHeader; payload: Uint8Array; offset: number }

/**
 * The first `blocks` blocks of an open spill file, in order.
 * @example for await (const blk of readBlocks(fh, file.blocks)) decodeBlock(blk.header, blk.payload)
 */
export async function* readBlocks(fh: FileHandle, blocks: number): AsyncGenerator<RawBlock> {
  let buf = new Uint8Array(READ_BYTES);
  let start = 0, end = 0, filePos = 0;
  /** makes at least `n` unread bytes available in buf[start..] */
  const ensure = async (n: number): Promise<void> => {
    if (end - start >= n) return;
    if (start + n > buf.length) {
      const next = new Uint8Array(Math.max(READ_BYTES, n));
      next.set(buf.subarray(start, end));
      buf = next; end -= start; start = 0;
    }
    while (end - start < n) {
      const { bytesRead } = await fh.read(buf, end, buf.length - end, filePos);
      if (bytesRead === 0) throw new Error(`the file ends after ${filePos} bytes`);
      end += bytesRead; filePos += bytesRead;
    }
  };
  let offset = 0;
  for (let k = 0; k < blocks; k++) {
    await ensure(HEADER_BYTES);
    const header = parseHeader(buf.subarray(start, start + HEADER_BYTES));
    await ensure(HEADER_BYTES + header.stored);
    const payload = buf.subarray(start + HEADER_BYTES, start + HEADER_BYTES + header.stored);
    start += HEADER_BYTES + header.stored;
    yield { header, payload, offset };
    offset += HEADER_BYTES + header.stored;
  }
}
