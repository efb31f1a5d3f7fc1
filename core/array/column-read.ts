/**
 * Reading a frame's numeric column for an array computation. The frame runs once per
 * computation through the ordinary streaming executor (`select(col(name).cast('float64'))`,
 * partitions in parallel, batches in source order, bounded in flight); nulls become NaN.
 * Up to {@link inMemoryRows} values are kept in memory; a longer column is written to a
 * temporary float64 file in the session's directory, which chunk tasks then read box by box
 * (in workers, in parallel), so memory stays bounded whatever the column's length.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { IOError, PlanError } from '../errors.js';
import { col } from '../expr/expr.js';
import type { LazyFrame } from '../lazyframe.js';
import { streamPlan } from '../stream.js';
import type { ColumnRef } from '../../ops/kernels/array/plan.js';
import type { ArraySession, ReadColumn } from './session.js';

/**
 * Columns up to this many values (32 MiB) stay in memory; longer ones go to a temporary file.
 * @example inMemoryRows(2 ** 40) === IN_MEMORY_ROWS // true
 */
export const IN_MEMORY_ROWS = 1 << 22;

/**
 * Values kept in memory under a memory limit: 1/16 of it, at most {@link IN_MEMORY_ROWS}.
 * @example inMemoryRows(64 * 2 ** 20) // 524288
 */
export const inMemoryRows = (memoryLimit: number): number => Math.max(1, Math.min(IN_MEMORY_ROWS, Math.floor(memoryLimit / 16 / 8)));

/**
 * A column of a frame, with its length when the source's metadata gives it.
 * @example new FrameColumn(ts.readParquet('a.parquet'), 'x', 1000)
 */
export class FrameColumn implements ColumnRef {
  constructor(readonly frame: LazyFrame, readonly column: string, readonly rows: number | undefined) {}
}

/** The output column's name in the query that reads the column. */
const OUT = 'value';

/** Collects the values in order: in memory while small, then in a temporary file. */
class ColumnSink {
  private mem: Float64Array;
  private n = 0;
  private file: { fh: FileHandle; path: string } | undefined;

  constructor(expected: number | undefined, private readonly limit: number, private readonly newPath: () => Promise<string>) {
    this.mem = new Float64Array(expected !== undefined && expected <= limit ? expected : Math.min(limit, 1 << 16));
  }

  async append(values: Float64Array, valid: Uint8Array | undefined): Promise<void> {
    const len = values.length;
    if (!this.file && this.n + len <= this.limit) {
      if (this.n + len > this.mem.length) {
        const grown = new Float64Array(Math.min(this.limit, Math.max(2 * this.mem.length, this.n + len)));
        grown.set(this.mem.subarray(0, this.n));
        this.mem = grown;
      }
      this.mem.set(values, this.n);
      if (valid) for (let i = 0; i < len; i++) if (!valid[i]) this.mem[this.n + i] = NaN;
      this.n += len;
      return;
    }
    if (!this.file) {
      const path = await this.newPath();
      this.file = { fh: await open(path, 'w'), path };
      await this.write(this.mem.subarray(0, this.n), 0);
      this.mem = new Float64Array(0);
    }
    // nulls are patched in a copy: the batch may share memory with the user's data
    const v = valid ? values.map((x, i) => (valid[i] ? x : NaN)) : values;
    await this.write(v, this.n);
    this.n += len;
  }

  private async write(v: Float64Array, at: number): Promise<void> {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    const { fh, path } = this.file!;
    try {
      for (let done = 0; done < bytes.length;) done += (await fh.write(bytes, done, bytes.length - done, at * 8 + done)).bytesWritten;
    } catch (e) {
      throw new IOError(`cannot write the temporary column file ${path}: ${(e as Error).message}`, path, { cause: e });
    }
  }

  async finish(): Promise<ReadColumn> {
    const shape = [this.n];
    if (!this.file) {
      const data = this.mem.length === this.n ? this.mem : this.mem.slice(0, this.n);
      return { node: { op: 'data', shape, region: { data, origin: [0], shape } }, rows: this.n };
    }
    await this.file.fh.close();
    return { node: { op: 'npy', shape, path: this.file.path, dataOffset: 0, dtype: 'f8' }, rows: this.n };
  }

  async abort(): Promise<void> {
    await this.file?.fh.close().catch(() => undefined);
  }
}

/**
 * Runs the frame and collects the column (see the file's comment). A length that differs from
 * the one the array was built with (the file changed in between) is a PlanError.
 * @example const { node, rows } = await readFrameColumn(ref, session);
 */
export async function readFrameColumn(ref: ColumnRef, session: ArraySession): Promise<ReadColumn> {
  if (!(ref instanceof FrameColumn)) throw new PlanError('internal: unknown column source');
  const s = session.settings;
  const plan = ref.frame.select(col(ref.column).cast('float64').alias(OUT)).plan;
  const sink = new ColumnSink(ref.rows, inMemoryRows(s.memoryLimit), () => session.tempFile(ref.column));
  try {
    for await (const b of streamPlan(plan, { scheduler: s.scheduler, workers: s.workers, progress: false }, `array column ${ref.column}`)) {
      const c = b.columns[OUT];
      const v = c.values instanceof Float64Array ? c.values : Float64Array.from(c.values);
      await sink.append(v.subarray(0, b.length), c.valid);
    }
  } catch (e) {
    await sink.abort();
    throw e;
  }
  const out = await sink.finish();
  if (ref.rows !== undefined && out.rows !== ref.rows) {
    throw new PlanError(`fromColumn: column "${ref.column}" now has ${out.rows} rows, but its source described ${ref.rows} when the array was built (the data changed); build the array again`);
  }
  return out;
}
