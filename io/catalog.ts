/**
 * Source references: a spec plus its description (schema, partitions), computed once per
 * reference and shared by every plan built on it. Two plans over the same reference are
 * answered from one read of it by `compute()`.
 */
import type { SourceInfo, SourceSpec } from './source.js';
import { PlanError } from '../core/errors.js';
import { readerFor } from './registry.js';
import { describeMemory } from './memory.js';
import { describeSync } from './describe-sync.js';

export interface SourceRef {
  id: number;
  spec: SourceSpec;
  info?: SourceInfo;
  /** a coordinator-internal intermediate result (not reported as a source read) */
  internal?: boolean;
  /** produces the source's data on first use and sets `spec` (a bag behind toDataFrame()) */
  materialize?: () => Promise<void>;
}

let nextId = 1;
export const sourceRef = (spec: SourceSpec): SourceRef => ({ id: nextId++, spec });

/** Describes the source (once). */
export async function describeRef(ref: SourceRef): Promise<SourceInfo> {
  if (!ref.info && ref.materialize) await ref.materialize();
  ref.info ??= await (await readerFor(ref.spec.format)).describe(ref.spec);
  return ref.info;
}

/** Synchronous form for explain(): runs the reader's describe in a helper thread and waits. */
export function describeRefSync(ref: SourceRef): SourceInfo {
  if (!ref.info && ref.materialize) throw new PlanError('explain(): this frame is built on a bag that has not run yet; collect() it first');
  if (!ref.info) ref.info = ref.spec.format === 'memory' ? describeMemory(ref.spec) : describeSync(ref.spec);
  return ref.info;
}
