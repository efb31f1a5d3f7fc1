/**
 * The benchmark harness (`npm run bench`): runs the workloads on Tessera and its peers in the
 * same run, each engine in its own child process per repetition, cross-checks the answers,
 * and prints a markdown table that is also written to `<data>/last-bench.md`.
 *
 * Repetitions are interleaved across engines (rep 1 of every engine, then rep 2, ...) so that
 * drift in machine load affects every engine alike.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { flightsPath } from '../../datasets/flights.js';
import { ensureG1, ensureG1Csv } from '../../datasets/g1-files.js';
import { ensureG1Dims } from '../../datasets/g1-dims.js';
import { ensureUniform } from '../../datasets/uniform.js';
import { ensureBrown } from '../../datasets/brown.js';
import { parseArgs, type BenchArgs } from './args.js';
import { crossCheck, type CaseCheck } from './check.js';
import { PEER_NAMES, peerRuns } from './peer.js';
import type { ChildResult } from './protocol.js';
import { renderReport } from './report.js';
import type { CaseResults, EngineRuns } from './results.js';
import { runChild } from './spawn.js';
import { selectCases, w7Path, type BenchCase } from './workloads.js';

function log(msg: string): void {
  process.stderr.write(msg + '\n');
}

/** Input file of each selected case, generating G1 data when a G1 case is selected (W7 generates its own: its settings stand in for a path). */
async function inputs(args: BenchArgs, cases: BenchCase[]): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  const g1 = cases.some((c) => c.workload === 'W4' || c.workload === 'W5') ? await ensureG1(args.data, { rows: args.rows, seed: args.seed }, log) : undefined;
  const w2 = cases.some((c) => c.workload === 'W2') ? await ensureBrown(args.data, { copies: args.copies }, log) : undefined;
  const w3 = cases.some((c) => c.workload === 'W3') ? await ensureUniform(args.data, { rows: args.w3rows, seed: args.seed }, log) : undefined;
  const w6 = cases.some((c) => c.workload === 'W6') ? await ensureG1Csv(args.data, { rows: args.w6rows, seed: args.seed }, log) : undefined;
  const dims = cases.some((c) => c.query === 'join') ? await ensureG1Dims(args.data, { rows: args.w6rows }, log) : undefined;
  for (const c of cases) {
    paths.set(c.id, c.workload === 'W6' ? (c.query === 'join' ? JSON.stringify([w6!, dims!]) : w6!)
      : c.workload === 'W7' ? w7Path({ n: args.w7n, chunk: args.w7chunk, seed: args.seed })
      : c.workload === 'W1' ? flightsPath() : c.workload === 'W2' ? w2! : c.workload === 'W3' ? (c.format === 'arrow' ? w3!.arrow : w3!.parquet)
      : c.format === 'csv' ? g1!.csv : g1!.parquet);
  }
  return paths;
}

/**
 * Reads the input file once, untimed, so every engine's run starts with it in the page cache
 * (after a W2 run of all engines only half of the 1 GB corpus was still cached).
 * Paths that are not files (W7's settings, W6's file list) are left alone.
 */
function warmCache(path: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) return;
  const fd = openSync(path, 'r'), buf = Buffer.allocUnsafe(16 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0) { /* read through */ }
  } finally {
    closeSync(fd);
  }
}

/** Entries (files and directories, recursively) under `dir`. */
function entriesUnder(dir: string): number {
  let n = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) n += 1 + (d.isDirectory() ? entriesUnder(join(dir, d.name)) : 0);
  return n;
}

/**
 * One W6 run: the engine gets the memory limit and a fresh, empty spill directory of its own;
 * what is left in that directory when the process has exited is part of the result.
 */
async function runOutOfCore(args: BenchArgs, peer: string, c: BenchCase, path: string): Promise<ChildResult> {
  const spill = join(args.data, 'spill', `${peer}-${c.id}`);
  rmSync(spill, { recursive: true, force: true });
  mkdirSync(spill, { recursive: true });
  try {
    const r = await runChild(peer, c.id, path, args.timeoutS * 1000, { BENCH_MEMORY_LIMIT: args.w6memory, BENCH_SPILL_DIR: spill, BENCH_OUT_DIR: args.data });
    return r.ok ? { ...r, spillLeft: entriesUnder(spill) } : r;
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
}

/**
 * Runs every engine `args.reps` times on one case. `unavailable` remembers engines that could
 * not be loaded, so they are reported on every case but started only once.
 */
async function runCase(args: BenchArgs, c: BenchCase, path: string, unavailable: Map<string, ChildResult>): Promise<CaseResults> {
  const engines: EngineRuns[] = PEER_NAMES.filter((p) => peerRuns(p, c, args)).map((peer) => ({ peer, runs: [] }));
  for (let rep = 1; rep <= args.reps; rep++) {
    for (const e of engines) {
      const known = unavailable.get(e.peer);
      if (known) {
        if (!e.runs.length) e.runs.push(known);
        continue;
      }
      // A crash or timeout would repeat; do not pay for it again.
      if (e.runs.some((r) => !r.ok)) continue;
      // out-of-core runs (W6) read their 5 GB input as it is
      if (c.workload !== 'W6') warmCache(path);
      const r = c.workload === 'W6' ? await runOutOfCore(args, e.peer, c, path) : await runChild(e.peer, c.id, path, args.timeoutS * 1000);
      e.runs.push(r);
      if (r.ok) log(`${c.id} ${e.peer} rep ${rep}: ${r.seconds.toFixed(3)} s, ${Math.round(r.maxRssMB)} MB${r.spillLeft !== undefined ? `, ${r.spillLeft} entries left in the spill directory` : ''}`);
      else if (r.unavailable) {
        unavailable.set(e.peer, r);
        log(`${e.peer}: unavailable (${r.error})`);
      } else log(`${c.id} ${e.peer} rep ${rep}: FAILED ${r.error}`);
    }
  }
  return { case: c, path, engines };
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const cases = selectCases(args.only);
  mkdirSync(args.data, { recursive: true });
  const paths = await inputs(args, cases);
  const done: { res: CaseResults; check: CaseCheck }[] = [];
  const unavailable = new Map<string, ChildResult>();
  let mismatched = false;
  for (const c of cases) {
    const res = await runCase(args, c, paths.get(c.id)!, unavailable);
    const check = crossCheck(res);
    for (const [peer, diffs] of check.diffs) {
      if (!diffs.length) continue;
      mismatched = true;
      log(`!!! ANSWER MISMATCH on ${c.id}: ${peer} disagrees with ${check.reference}`);
      for (const d of diffs) log(`!!!   ${d}`);
    }
    done.push({ res, check });
  }
  const machine = `Node ${process.version}, ${availableParallelism()} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB.`;
  const w6 = cases.some((c) => c.workload === 'W6') ? { rows: args.w6rows, memory: args.w6memory } : undefined;
  const md = renderReport({ rows: args.rows, w6, reps: args.reps, date: new Date().toISOString(), machine }, done);
  const file = join(args.data, 'last-bench.md');
  writeFileSync(file, md);
  process.stdout.write('\n' + md);
  log(`report written to ${file}`);
  if (mismatched) {
    log('!!! some engines returned different answers: see "Answer mismatches" above');
    process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
