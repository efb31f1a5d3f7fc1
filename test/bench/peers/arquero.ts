/**
 * Arquero peer: loadCSV then groupby/rollup. Arquero parses the whole CSV into JS columns
 * before grouping, which is why the harness runs it only on W4 over CSV.
 */
import * as aq from 'arquero';
import type { Answer } from '../answer.js';
import type { Peer } from '../peer.js';
import type { Job } from '../workloads.js';

/** Nothing to set up. */
export async function load(): Promise<Peer> {
  return { run };
}

async function run(job: Job): Promise<() => Answer> {
  if (job.workload !== 'W4' || job.format !== 'csv') throw new Error(`arquero peer runs W4 on CSV only, not ${job.workload} ${job.format}`);
  const dt = await aq.loadCSV(job.path);
  const res = dt.groupby('id1').rollup({ v1: aq.op.sum('v1') });
  return () => {
    const k = res.array('id1') as ArrayLike<unknown>;
    const v = res.array('v1') as ArrayLike<unknown>;
    return { groups: Array.from({ length: res.numRows() }, (_, i) => [String(k[i]), [Number(v[i])]]) };
  };
}
