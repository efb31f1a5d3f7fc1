/**
 * Streaming .npy writer: chunks arrive in any order and are written in place at their file
 * offsets, so no more than the chunks in flight is ever held. The file is built under a
 * temporary name and renamed on success; on failure it is removed.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { IOError } from '../../core/errors.js';
import { forEachRun, type Box } from '../../ops/kernels/array/box.js';
import { formatNpyHeader } from './header.js';

/**
 * A .npy file being written.
 * @example
 * const w = NpyWriter.create('out.npy', [4, 4]);
 * w.writeBox({ start: [0, 0], stop: [4, 4] }, values); w.commit();
 */
export class NpyWriter {
  private closed = false;
  private constructor(readonly path: string, private readonly tmp: string, private readonly fd: number, private readonly shape: number[], private readonly dataOffset: number) {}

  static create(path: string, shape: number[]): NpyWriter {
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    let fd: number;
    try { fd = openSync(tmp, 'w'); } catch (e) { throw new IOError(`cannot write ${path}: ${(e as Error).message}`, path, { cause: e }); }
    const header = formatNpyHeader(shape);
    try { writeSync(fd, header, 0, header.length, 0); } catch (e) { closeSync(fd); rmSync(tmp, { force: true }); throw new IOError(`cannot write ${path}: ${(e as Error).message}`, path, { cause: e }); }
    return new NpyWriter(path, tmp, fd, shape, header.length);
  }

  /** Writes a box's C-order values at their place in the file. */
  writeBox(box: Box, values: Float64Array): void {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    try {
      forEachRun(this.shape, box, (flat, off, len) => {
        let done = 0;
        while (done < len * 8) done += writeSync(this.fd, bytes, off * 8 + done, len * 8 - done, this.dataOffset + flat * 8 + done);
      });
    } catch (e) {
      throw new IOError(`cannot write ${this.path}: ${(e as Error).message}`, this.path, { cause: e });
    }
  }

  /** Closes and moves the finished file to its name. */
  commit(): void {
    this.closed = true;
    closeSync(this.fd);
    try { renameSync(this.tmp, this.path); } catch (e) {
      rmSync(this.tmp, { force: true });
      throw new IOError(`cannot write ${this.path}: ${(e as Error).message}`, this.path, { cause: e });
    }
  }

  /** Drops the partial file. */
  abort(): void {
    if (!this.closed) { this.closed = true; closeSync(this.fd); }
    rmSync(this.tmp, { force: true });
  }
}
