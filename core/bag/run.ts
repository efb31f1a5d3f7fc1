/**
 * Computing a bag on the coordinator: one task per partition (items, or a text block the worker
 * reads itself), at most 2 x workers in flight, results taken in partition order: items are
 * concatenated, reduction partials fed to the merger.
 */
import type { Settings } from '../config.js';
import { runOrdered, udfSettings, type UdfRunOptions } from '../udf/run.js';
import type { UdfTask } from '../udf/task.js';
import type { BagPlan, BagSource, PartitionSource } from './plan.js';
import { merger } from './reduce.js';
import { defaultPartitions, splitEven } from './split.js';
import { loadText } from './text.js';

async function partitionsOf(src: BagSource, s: Settings): Promise<PartitionSource[]> {
  switch (src.kind) {
    case 'items': return src.partitions.map((items) => ({ kind: 'items', items }));
    case 'text': {
      const info = await (await loadText()).textReader.describe(src.spec);
      return info.partitions.map((part) => ({ kind: 'text', spec: src.spec, part }));
    }
    case 'bag': {
      const items = await runPlan(src.parent, s);
      return splitEven(items, defaultPartitions(items.length, s.workers)).map((p) => ({ kind: 'items', items: p }));
    }
  }
}

async function runPlan(plan: BagPlan, s: Settings): Promise<unknown[]> {
  const parts = await partitionsOf(plan.source, s);
  const m = plan.reduce ? merger(plan.reduce) : undefined;
  const out: unknown[] = [];
  function* tasks(): Generator<UdfTask> {
    for (let seq = 0; seq < parts.length; seq++) {
      yield { kind: 'bag', label: `bag partition ${seq}`, seq, source: parts[seq], steps: plan.steps, reduce: plan.reduce };
    }
  }
  await runOrdered(tasks(), s, (v) => {
    if (m) m.add(v);
    else for (const x of v as unknown[]) out.push(x);
  });
  return m ? m.result() : out;
}

/**
 * Computes a bag's items with the `sync` or `threads` scheduler (`ts.config()` plus overrides).
 * @example const items = await computeBag(bag.plan, { scheduler: 'sync' });
 */
export async function computeBag(plan: BagPlan, opts: UdfRunOptions = {}): Promise<unknown[]> {
  return runPlan(plan, udfSettings(opts));
}
