/**
 * Arrow IPC output (file or stream format), streamed: each batch is serialized by
 * apache-arrow's RecordBatchFileWriter / RecordBatchStreamWriter and its bytes are written
 * to the temporary file right away; close writes the footer (or end-of-stream marker) and
 * renames the file into place (see sink.ts).
 */
import * as arrow from 'apache-arrow';
import { batchToRecordBatch, dtypeToArrowType } from '../../core/arrow.js';
import { IOError, SchemaError, TesseraError } from '../../core/errors.js';
import type { Batch, Schema } from '../../core/types.js';
import { AtomicFile } from '../arrow/atomic-file.js';
import type { Sink } from './sink.js';

/** Options of {@link openArrowSink}. */
export interface ArrowSinkOptions {
  /** 'file' (random access, with a footer; default) or 'stream' */
  format?: 'file' | 'stream';
}

/**
 * Catches what the arrow writer emits: it writes into an AsyncByteQueue it is given, and
 * collecting synchronously lets each batch reach the file before the next is serialized.
 */
class Collector extends arrow.AsyncByteQueue {
  chunks: Uint8Array[] = [];
  override write(value: ArrayBufferView | ArrayBuffer | string): void {
    const b = arrow.util.toUint8Array(value as ArrayBufferView);
    if (b.byteLength > 0) this.chunks.push(b);
  }
  take(): Uint8Array[] {
    const c = this.chunks;
    this.chunks = [];
    return c;
  }
}

/**
 * Opens a streaming Arrow IPC sink. Types follow core/arrow.ts (timestamp as
 * Timestamp(MICROSECOND) without time zone, date as DateDay, int64 as Int64...).
 * Extra option keys (other per-call settings) are ignored.
 * @throws IOError naming `path` when the temporary file cannot be created (e.g. the
 *   directory does not exist); nothing is left behind then.
 * @example
 * const s = await openArrowSink('out.arrow', { id: 'int64' }, { format: 'stream' });
 * await s.write(batch); await s.close();
 */
export async function openArrowSink(path: string, schema: Schema, opts: ArrowSinkOptions & Record<string, unknown> = {}): Promise<Sink> {
  const format = opts.format ?? 'file';
  if (format !== 'file' && format !== 'stream') throw new SchemaError(`unknown Arrow IPC format "${String(format)}"; use 'file' or 'stream'`);
  const names = Object.keys(schema);
  const arrowSchema = new arrow.Schema(names.map((n) => new arrow.Field(n, dtypeToArrowType(schema[n]), true)));
  const file = await AtomicFile.create(path);
  const out = new Collector();
  const writer = format === 'file' ? new arrow.RecordBatchFileWriter() : new arrow.RecordBatchStreamWriter();
  let failed = false;

  async function guarded(f: () => Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      failed = true;
      if (e instanceof TesseraError) throw e;
      throw new IOError(`cannot write ${path}: ${(e as Error).message}`, path, { cause: e });
    }
  }

  try {
    writer.reset(out as unknown as arrow.AsyncByteQueue, arrowSchema);
    await file.write(...out.take());
  } catch (e) {
    await file.discard();
    throw e instanceof TesseraError ? e : new IOError(`cannot write ${path}: ${(e as Error).message}`, path, { cause: e });
  }

  return {
    async write(batch: Batch): Promise<void> {
      if (failed) throw new IOError(`cannot write ${path}: an earlier write failed`, path);
      if (batch.length === 0) return;
      for (const n of names) {
        const c = batch.columns[n];
        if (!c) throw new SchemaError(`cannot write ${path}: batch has no column "${n}"; it has: ${Object.keys(batch.columns).join(', ')}`);
        if (c.type !== schema[n]) throw new SchemaError(`cannot write ${path}: column "${n}" is ${c.type}, the schema says ${schema[n]}`);
      }
      await guarded(async () => {
        const rb = batchToRecordBatch(batch, schema);
        // same fields and types, so the writer keeps appending instead of starting a new file
        writer.write(new arrow.RecordBatch(arrowSchema, rb.data));
        await file.write(...out.take());
      });
    },

    async close(): Promise<void> {
      if (failed) throw new IOError(`cannot close ${path}: an earlier write failed`, path);
      await guarded(async () => {
        writer.finish();
        await file.write(...out.take());
        await file.commit();
      }).catch(async (e) => { await file.discard(); throw e; });
    },

    async abort(): Promise<void> {
      failed = true;
      await file.discard();
    },
  };
}
