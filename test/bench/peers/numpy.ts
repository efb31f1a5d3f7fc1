/**
 * numpy peer (W7 only): the workload as a numpy user writes it, in a `python3` child process.
 * Python and numpy are started and imported in `load()`, so the timed span covers the work,
 * not the interpreter start-up. numpy runs its elementwise functions in one thread; the BLAS
 * and OpenMP pools are pinned to one thread too. Its generator is numpy's own (PCG64 via
 * `default_rng(seed)`), so its values differ from Tessera's Philox: answers are checked as
 * statistics (see check.ts).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Answer } from '../answer.js';
import type { Peer } from '../peer.js';
import { parseW7, type Job } from '../workloads.js';

/** Reads jobs (JSON lines) from stdin, answers each with one JSON line; `ready` once numpy is imported. */
const SCRIPT = `
import json, resource, sys
import numpy as np
print('ready', flush=True)
for line in sys.stdin:
    job = json.loads(line)
    n = job['n']
    x = np.random.default_rng(job['seed']).random((n, n))
    y = np.exp(x) + 3 * np.sin(x)
    m = y.mean(axis=0)
    c = np.cumsum(y, axis=1)
    out = {'mean': float(m.sum()) / n, 'last': float(c[:, -1].sum()) / (n * n),
           'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    del x, y, m, c
    print(json.dumps(out), flush=True)
`;

interface Reply { mean: number; last: number; rss_mb: number }

/**
 * Starts python3 with numpy imported; fails (engine unavailable) when either is missing.
 * @example const peer = await load(); const answer = (await peer.run(job))();
 */
export async function load(): Promise<Peer> {
  const py = spawn('python3', ['-c', SCRIPT], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  let stderr = '';
  py.stderr.setEncoding('utf8').on('data', (s: string) => { stderr = (stderr + s).slice(-2000); });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const next = async (what: string): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error(`python3 ended before ${what}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-2).join(' / ')}` : ''}`);
    return r.value;
  };
  const started = new Promise<never>((_, reject) => py.on('error', (e) => reject(new Error(`cannot start python3: ${e.message}`))));
  const ready = await Promise.race([next('importing numpy'), started]);
  if (ready !== 'ready') throw new Error(`unexpected output from python3: ${ready}`);
  let rss: number | undefined;
  return {
    run: async (job) => {
      const reply = JSON.parse(await ask(py, job, next)) as Reply;
      rss = reply.rss_mb;
      return (): Answer => ({ stats: [['', [reply.mean, reply.last]]] });
    },
    helperPeakRssMB: () => rss,
  };
}

async function ask(py: ChildProcessWithoutNullStreams, job: Job, next: (what: string) => Promise<string>): Promise<string> {
  if (job.workload !== 'W7') throw new Error(`numpy peer runs W7 only, not ${job.workload}`);
  const { n, seed } = parseW7(job.path);
  py.stdin.write(JSON.stringify({ n, seed }) + '\n');
  return next(`answering W7 at N = ${n}`);
}
