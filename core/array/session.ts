/**
 * State of one computation of arrays (one `compute()` / `toNpy()` call): the settings, the
 * frame columns read so far (each read once, however many outputs use it) and a private
 * temporary directory for columns too large to hold in memory, removed when the call ends
 * (and at process exit or on SIGINT/SIGTERM if the call never ends).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IOError } from '../errors.js';
import type { Settings } from '../config.js';
import type { ANode, ColumnRef } from '../../ops/kernels/array/plan.js';
import { registerSpillDir, unregisterSpillDir, type LiveDir } from '../../io/spill/registry.js';
import type { LazyArray } from './lazy-array.js';

/**
 * A column read for this session: the node that now stands for it, and its length.
 * @example const { node, rows }: ReadColumn = await session.column(ref);
 */
export interface ReadColumn { node: ANode; rows: number }

/**
 * Reads one column (set by column.ts, which knows frames; kept out of here to avoid a cycle).
 * @example new ArraySession(settings, readFrameColumn)
 */
export type ColumnReader = (ref: ColumnRef, session: ArraySession) => Promise<ReadColumn>;

/**
 * One computation's shared state.
 * @example
 * const session = new ArraySession(settingsFor(opts), readFrameColumn);
 * try { ... } finally { await session.close(); }
 */
export class ArraySession {
  /** Deferred arrays realized in this session (see deferred.ts). */
  readonly realized = new Map<LazyArray, Promise<LazyArray>>();
  private readonly columns = new Map<ColumnRef, Promise<ReadColumn>>();
  private dir: Promise<string> | undefined;
  private live: LiveDir | undefined;

  constructor(readonly settings: Settings, private readonly reader: ColumnReader) {}

  /** The column behind `ref`, read on first use. */
  column(ref: ColumnRef): Promise<ReadColumn> {
    let p = this.columns.get(ref);
    if (!p) this.columns.set(ref, (p = this.reader(ref, this)));
    return p;
  }

  /** A path for a new temporary file in this session's directory (created on first use). */
  async tempFile(name: string): Promise<string> {
    this.dir ??= this.makeDir();
    return join(await this.dir, `${this.columns.size}-${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}-${Math.random().toString(36).slice(2)}.f8`);
  }

  private async makeDir(): Promise<string> {
    const base = this.settings.spillDir;
    let path: string;
    try {
      path = await mkdtemp(join(base, 'tessera-array-'));
    } catch (e) {
      throw new IOError(`cannot create a temporary directory under ${base} (the spillDir setting): ${(e as Error).message}`, base, { cause: e });
    }
    this.live = { path, cleanupSync: () => rmSync(path, { recursive: true, force: true }) };
    registerSpillDir(this.live);
    return path;
  }

  /** Removes the temporary directory, if one was made. */
  async close(): Promise<void> {
    if (!this.dir) return;
    const path = await this.dir.catch(() => undefined);
    if (path) await rm(path, { recursive: true, force: true });
    if (this.live) unregisterSpillDir(this.live);
  }
}
