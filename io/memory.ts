/**
 * In-memory sources (fromArrow / fromColumns). Their batches live in the coordinator's
 * registry, so their partitions are read in the coordinator; only plain JSON crosses threads.
 */
import type { Batch, Schema } from '../core/types.js';
import type { FormatReader, Partition, SourceInfo, SourceSpec } from './source.js';
import { sliceBatch } from '../ops/column/take.js';

const registry = new Map<number, { batches: Batch[]; schema: Schema }>();
let nextId = 1;

/** Registers batches and returns the spec of a memory source over them. */
export function registerMemory(batches: Batch[], schema: Schema, chunkRows?: number): SourceSpec {
  const parts: Batch[] = [];
  for (const b of batches) {
    if (!chunkRows || b.length <= chunkRows) { parts.push(b); continue; }
    for (let s = 0; s < b.length; s += chunkRows) parts.push(sliceBatch(b, s, Math.min(b.length, s + chunkRows)));
  }
  const id = nextId++;
  registry.set(id, { batches: parts.length ? parts : [], schema });
  return { format: 'memory', paths: [], options: {}, memoryId: id };
}

export const memoryReader: FormatReader = {
  async describe(spec: SourceSpec): Promise<SourceInfo> { return describeMemory(spec); },
  async read(spec: SourceSpec, part: Partition, columns: string[]): Promise<Batch> {
    const b = registry.get(spec.memoryId!)!.batches[part.index!];
    const out: Batch = { length: b.length, columns: {} };
    for (const c of columns) out.columns[c] = b.columns[c];
    return out;
  },
};

export function describeMemory(spec: SourceSpec): SourceInfo {
  const m = registry.get(spec.memoryId!);
  if (!m) throw new Error(`memory source ${spec.memoryId} is not registered in this thread`);
  const partitions: Partition[] = m.batches.map((b, i) => ({ seq: i, path: '<memory>', index: i, rows: b.length }));
  return { files: [], schema: m.schema, partitions };
}
