/**
 * A file written under a temporary name beside its target and renamed into place on commit,
 * so readers never see a partial file and a failed write leaves nothing behind (see
 * io/sinks/sink.ts). Shared by the Arrow IPC and Parquet sinks.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IOError } from '../../core/errors.js';

/** Sequential writer of a temporary file that becomes `path` on {@link AtomicFile.commit}. */
export class AtomicFile {
  /** bytes written so far (the file offset of the next write) */
  offset = 0;
  private state: 'open' | 'committed' | 'discarded' = 'open';

  private constructor(readonly path: string, readonly tmp: string, private fh: FileHandle) {}

  /**
   * Creates the temporary file `path + '.tmp-' + pid + '-' + random` (exclusively).
   * @throws IOError naming `path` when it cannot be created (missing directory, no permission).
   * @example const f = await AtomicFile.create('out.parquet'); await f.write(bytes); await f.commit();
   */
  static async create(path: string): Promise<AtomicFile> {
    const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      return new AtomicFile(path, tmp, await open(tmp, 'wx'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? `directory ${dirname(path)} does not exist`
        : code === 'EACCES' || code === 'EPERM' ? `permission denied in ${dirname(path)}`
        : (e as Error).message;
      throw new IOError(`cannot write ${path}: ${why}`, path, { cause: e });
    }
  }

  /** Appends bytes at the current offset. */
  async write(...parts: Uint8Array[]): Promise<void> {
    if (this.state !== 'open') throw new IOError(`cannot write ${this.path}: the file is already ${this.state}`, this.path);
    try {
      for (const p of parts) {
        let done = 0;
        while (done < p.length) {
          const { bytesWritten } = await this.fh.write(p, done, p.length - done, this.offset + done);
          done += bytesWritten;
        }
        this.offset += p.length;
      }
    } catch (e) {
      throw new IOError(`cannot write ${this.path}: ${(e as Error).message}`, this.path, { cause: e });
    }
  }

  /** Closes the temporary file and renames it to the target; on failure it is removed. */
  async commit(): Promise<void> {
    if (this.state !== 'open') throw new IOError(`cannot close ${this.path}: the file is already ${this.state}`, this.path);
    this.state = 'committed';
    try {
      await this.fh.close();
      await rename(this.tmp, this.path);
    } catch (e) {
      await this.fh.close().catch(() => undefined);
      await unlink(this.tmp).catch(() => undefined);
      throw new IOError(`cannot write ${this.path}: ${(e as Error).message}`, this.path, { cause: e });
    }
  }

  /** Closes and removes the temporary file; the target is left untouched. Idempotent. */
  async discard(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'discarded';
    await this.fh.close().catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }
}
