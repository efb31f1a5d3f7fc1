/**
 * A private spill directory (mkdtemp under the spillDir setting) that owns its files: it is
 * registered for removal on exit and on SIGINT/SIGTERM, and it removes itself when a write
 * fails, so a full disk never leaves half a spill behind.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IOError } from '../../core/errors.js';
import { baseDirError, spillFullError } from './errors.js';
import { registerSpillDir, unregisterSpillDir, type LiveDir } from './registry.js';
import { SpillFile, type SpillHost, type SpillWrite } from './spill-file.js';

/**
 * How a spill directory writes its files.
 * @example SpillDir.open(base, { compression: 'none', blockBytes: 4 << 20, onEvent: (e) => events.emit(e) })
 */
export interface SpillOptions {
  /** default 'zstd' (level {@link SpillOptions.level}); 'none' trades disk for CPU */
  compression?: 'zstd' | 'none';
  /** zstd level, default 1 */
  level?: number;
  /** batches are cut into blocks of about this many bytes, default 1 MiB */
  blockBytes?: number;
  /** replaces `FileHandle.write` (tests simulate a full disk with it) */
  write?: SpillWrite;
  /** called after every block written or read, for metrics and engine events */
  onEvent?: (e: SpillEvent) => void;
}

/**
 * One block moved to or from disk.
 * @example { kind: 'write', file: '/tmp/tessera-spill-x/00001-run.spill', rows: 8192, rawBytes: 1048576, bytes: 301223 }
 */
export interface SpillEvent {
  kind: 'write' | 'read';
  file: string;
  rows: number;
  /** Arrow IPC bytes before compression */
  rawBytes: number;
  /** bytes on disk, header included */
  bytes: number;
}

const defaultWrite: SpillWrite = (fh, data, position) => fh.write(data, 0, data.length, position);

/**
 * A spill directory. Open one per spilling operator (or query) and `cleanup()` it when done;
 * whatever is still alive at process exit or on SIGINT/SIGTERM is removed then.
 * @example
 * const dir = await SpillDir.open(config().spillDir);
 * try {
 *   const f = dir.file('run');
 *   await f.append(batch);
 *   for await (const b of f.read()) use(b);
 * } finally {
 *   await dir.cleanup();
 * }
 */
export class SpillDir implements LiveDir {
  /** bytes written to disk (compressed, headers included) */
  bytesWritten = 0;
  /** Arrow IPC bytes before compression */
  rawBytesWritten = 0;
  rowsWritten = 0;
  /** bytes read back from disk */
  bytesRead = 0;
  filesCreated = 0;
  private readonly files = new Set<SpillFile>();
  private readonly ops = new Set<Promise<unknown>>();
  private seq = 0;
  private removed = false;
  private removing: Promise<void> | undefined;
  private failure: Error | undefined;
  private readonly host: SpillHost;

  private constructor(readonly path: string, private readonly opts: SpillOptions) {
    this.host = {
      block: {
        compression: opts.compression ?? 'zstd',
        level: opts.level ?? 1,
        blockBytes: opts.blockBytes ?? 1 << 20,
        write: opts.write ?? defaultWrite,
      },
      checkOpen: () => this.checkOpen(),
      io: (op) => this.io(op),
      written: (f, rows, raw, bytes) => {
        this.bytesWritten += bytes; this.rawBytesWritten += raw; this.rowsWritten += rows;
        this.opts.onEvent?.({ kind: 'write', file: f.path, rows, rawBytes: raw, bytes });
      },
      read: (f, rows, raw, bytes) => {
        this.bytesRead += bytes;
        this.opts.onEvent?.({ kind: 'read', file: f.path, rows, rawBytes: raw, bytes });
      },
      fail: (path, cause) => this.fail(path, cause),
      forget: (f) => { this.files.delete(f); },
    };
  }

  /**
   * Creates `tessera-spill-XXXXXX` under `base`.
   * @throws IOError naming `base` and the spillDir setting when it is missing or not
   *   writable; ResourceError when its disk is full.
   * @example const dir = await SpillDir.open(os.tmpdir(), { compression: 'zstd' })
   */
  static async open(base: string, opts: SpillOptions = {}): Promise<SpillDir> {
    let path: string;
    try {
      path = await mkdtemp(join(base, 'tessera-spill-'));
    } catch (e) {
      throw baseDirError(base, e);
    }
    const d = new SpillDir(path, opts);
    registerSpillDir(d);
    return d;
  }

  /** Files created and not yet removed. */
  get liveFiles(): number { return this.files.size; }

  /** Whether the directory has been removed (by cleanup or after a failed write). */
  get isRemoved(): boolean { return this.removed; }

  /**
   * A new, empty file; `name` is only a readable hint (a sequence number keeps names unique).
   * @example const f = dir.file(`agg-p${p}`)
   */
  file(name: string): SpillFile {
    this.checkOpen();
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
    const f = new SpillFile(join(this.path, `${String(++this.seq).padStart(5, '0')}-${safe}.spill`), this.host);
    this.files.add(f);
    this.filesCreated++;
    return f;
  }

  /** Removes the directory and every file in it (idempotent: later calls wait for the first). */
  cleanup(): Promise<void> {
    this.removing ??= this.remove();
    return this.removing;
  }

  private async remove(): Promise<void> {
    this.removed = true;
    await Promise.allSettled([...this.ops]);
    const files = [...this.files];
    this.files.clear();
    await Promise.all(files.map((f) => f.abandon()));
    await rm(this.path, { recursive: true, force: true });
    unregisterSpillDir(this);
  }

  /** Synchronous removal, for exit and signal handlers. */
  cleanupSync(): void {
    this.removed = true;
    this.removing ??= Promise.resolve();
    rmSync(this.path, { recursive: true, force: true });
    unregisterSpillDir(this);
  }

  private checkOpen(): void {
    if (this.failure) throw this.failure;
    if (this.removed) throw new IOError(`spill directory ${this.path} has been removed`, this.path);
  }

  private async io<T>(op: () => Promise<T>): Promise<T> {
    this.checkOpen();
    const p = op();
    this.ops.add(p);
    try {
      return await p;
    } finally {
      this.ops.delete(p);
    }
  }

  private async fail(path: string, cause: unknown): Promise<Error> {
    // the first failure is the one to report; later writes racing it get the same error
    this.failure ??= spillFullError(path, cause);
    await this.cleanup().catch(() => undefined);
    return this.failure;
  }
}
