/**
 * One bag partition, as run in a worker (or in this thread for the `sync` scheduler): read the
 * items, push them through the fused steps, then return the items or the reduction's partial.
 */
import type { ItemLocation } from '../udf/user-error.js';
import { runChain } from './chain.js';
import type { BagPartitionTask } from './plan.js';
import { localReducer } from './reduce.js';
import { loadText } from './text.js';

/**
 * Runs one partition task.
 * @example await runBagPartition({ kind: 'bag', label: 'bag partition 0', seq: 0, source: { kind: 'items', items: [1, 2] }, steps: [] }) // [1, 2]
 */
export async function runBagPartition(t: BagPartitionTask): Promise<unknown> {
  const items = t.source.kind === 'items' ? t.source.items : await (await loadText()).readTextLines(t.source.spec, t.source.part);
  const at: ItemLocation = { seq: t.seq, index: 0 };
  if (!t.reduce) {
    const out: unknown[] = [];
    await runChain(items, t.steps, (x) => { out.push(x); }, at);
    return out;
  }
  const local = localReducer(t.reduce, at);
  await runChain(items, t.steps, local.add, at);
  return local.partial();
}
