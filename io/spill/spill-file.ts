/** One spill file: batches appended as compressed Arrow IPC blocks, read back block by block. */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { IOError, SchemaError } from '../../core/errors.js';
import { batchBytes, batchSchema, type Batch, type Schema } from '../../core/types.js';
import { blockSlices, decodeBlock, encodeBlock, HEADER_BYTES, type BlockOptions } from './block.js';
import { readBlocks } from './block-reader.js';
import { spillReadError } from './errors.js';

/**
 * Writes `data` at `position` of an open file; resolves with how many bytes it wrote (the
 * signature of `FileHandle.write`). Injectable so tests can simulate a full disk.
 * @example const write: SpillWrite = (fh, data, pos) => fh.write(data, 0, data.length, pos)
 */
export type SpillWrite = (fh: FileHandle, data: Uint8Array, position: number) => Promise<{ bytesWritten: number }>;

/**
 * What a spill file needs from its directory (the SpillDir implements it).
 * @example new SpillFile(join(dir.path, '00001-run.spill'), host)
 */
export interface SpillHost {
  readonly block: BlockOptions & { blockBytes: number; write: SpillWrite };
  /** throws when the directory has been removed */
  checkOpen(): void;
  written(file: SpillFile, rows: number, raw: number, bytes: number): void;
  read(file: SpillFile, rows: number, raw: number, bytes: number): void;
  /**
   * Runs one file-system mutation; refuses once the directory is being removed, and lets the
   * removal wait for mutations in flight, so no file can appear after it.
   */
  io<T>(op: () => Promise<T>): Promise<T>;
  /** removes the directory and returns the typed error for a failed write */
  fail(path: string, cause: unknown): Promise<Error>;
  forget(file: SpillFile): void;
}

/**
 * A sequence of batches of one schema on disk. Appends are serialized (callers may fire
 * several without awaiting each); `read` streams the blocks back in append order.
 * @example
 * const f = dir.file('partition-3');
 * await f.append(batch); await f.append(more);
 * await f.finish();
 * for await (const b of f.read()) use(b);
 * await f.remove();
 */
export class SpillFile {
  /** rows appended so far */
  rows = 0;
  /** bytes of the appended batches in memory (batchBytes), what reading it back costs */
  memoryBytes = 0;
  /** bytes on disk, headers included */
  bytes = 0;
  blocks = 0;
  private fh: FileHandle | undefined;
  private tail: Promise<void> = Promise.resolve();
  private schema: Schema | undefined;
  private state: 'open' | 'finished' | 'removed' = 'open';

  constructor(readonly path: string, private readonly host: SpillHost) {}

  /**
   * Appends a batch (dictionary columns are stored in plain form). Empty batches are skipped.
   * `blockBytes` overrides the directory's block size, e.g. so a merge of many runs can hold
   * one block of each within its budget.
   */
  append(batch: Batch, opts: { blockBytes?: number } = {}): Promise<void> {
    try { this.host.checkOpen(); } catch (e) { return Promise.reject(e); }
    if (this.state !== 'open') return Promise.reject(new Error(`spill file ${this.path} is ${this.state}; append before finish()`));
    const run = this.tail.then(() => this.write(batch, opts.blockBytes ?? this.host.block.blockBytes));
    // a failed append fails every later one too, but must not surface twice as unhandled
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Waits for pending appends and closes the file for writing. */
  async finish(): Promise<void> {
    await this.tail;
    if (this.state === 'open') this.state = 'finished';
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }

  /** The batches in append order, one block at a time. Finishes the file first. */
  async *read(): AsyncGenerator<Batch> {
    await this.finish();
    if (this.state === 'removed') throw new IOError(`spill file ${this.path} was removed`, this.path);
    if (this.blocks === 0) return;
    let fh: FileHandle;
    try { fh = await open(this.path, 'r'); } catch (e) { throw spillReadError(this.path, 0, e); }
    let at = 0;
    try {
      const blocks = readBlocks(fh, this.blocks);
      for (;;) {
        let batch: Batch, size: number, raw: number;
        try {
          const next = await blocks.next();
          if (next.done) break;
          const { header, payload, offset } = next.value;
          at = offset;
          size = HEADER_BYTES + header.stored;
          raw = header.raw;
          batch = await decodeBlock(header, payload);
        } catch (e) {
          throw spillReadError(this.path, at, e);
        }
        this.host.read(this, batch.length, raw, size);
        yield batch;
      }
    } finally {
      await fh.close();
    }
  }

  /** Deletes the file (idempotent). */
  async remove(): Promise<void> {
    if (this.state === 'removed') return;
    await this.tail;
    this.state = 'removed';
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close().catch(() => undefined);
    await rm(this.path, { force: true });
    this.host.forget(this);
  }

  /** Closes the file without waiting for pending appends; its directory is being removed. */
  async abandon(): Promise<void> {
    this.state = 'removed';
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close().catch(() => undefined);
  }

  private async write(batch: Batch, blockBytes: number): Promise<void> {
    if (batch.length === 0) return;
    this.host.checkOpen();
    this.checkSchema(batch);
    const { write } = this.host.block;
    for (const piece of blockSlices(batch, blockBytes)) {
      const { bytes, raw } = await encodeBlock(piece, this.host.block);
      try {
        await this.host.io(async () => {
          const fh = (this.fh ??= await open(this.path, 'wx'));
          for (let off = 0; off < bytes.length;) {
            const { bytesWritten } = await write(fh, bytes.subarray(off), this.bytes + off);
            if (!(bytesWritten > 0)) throw new Error('the write made no progress');
            off += bytesWritten;
          }
        });
      } catch (e) {
        this.state = 'removed';
        throw await this.host.fail(this.path, e);
      }
      this.bytes += bytes.length;
      this.blocks++;
      this.rows += piece.length;
      this.memoryBytes += batchBytes(piece);
      this.host.written(this, piece.length, raw, bytes.length);
    }
  }

  private checkSchema(batch: Batch): void {
    const s = batchSchema(batch);
    if (!this.schema) { this.schema = s; return; }
    const want = Object.entries(this.schema), got = Object.entries(s);
    if (got.length === want.length && got.every(([k, t], j) => want[j][0] === k && want[j][1] === t)) return;
    throw new SchemaError(`spill file ${this.path} holds ${JSON.stringify(this.schema)} but a batch of ${JSON.stringify(s)} was appended`);
  }
}
