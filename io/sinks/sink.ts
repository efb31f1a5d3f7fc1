/**
 * Streaming output sinks. Every sink writes to a temporary file beside the target and
 * renames it into place on `close()`; `abort()` removes the temporary file, so a failed
 * run never leaves a partial output behind.
 */
import type { Batch, Schema } from '../../core/types.js';

export interface Sink {
  /** Appends a batch (columns in schema order). */
  write(batch: Batch): Promise<void>;
  /** Flushes, then atomically renames the temporary file to the target path. */
  close(): Promise<void>;
  /** Removes the temporary file; the target path is left untouched. */
  abort(): Promise<void>;
}

export type SinkFactory = (path: string, schema: Schema, options?: Record<string, unknown>) => Promise<Sink>;
