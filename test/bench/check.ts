/** Cross-checks the answers of every engine on a case against one reference engine. */
import { diffSummaries } from './answer.js';
import { successes, type CaseResults } from './results.js';
import { parseW7 } from './workloads.js';

/** Outcome of the cross-check of one case. */
export interface CaseCheck {
  /** Engine whose answer the others are compared with (DuckDB when it answered). */
  reference?: string;
  /** Differences per engine; an engine with an empty list agrees with the reference. */
  diffs: Map<string, string[]>;
}

/** Compares every successful run (all reps, not just the first) with the reference's first answer. */
export function crossCheck(res: CaseResults): CaseCheck {
  const check = res.case.workload === 'W7' ? checkW7(res) : checkAnswers(res);
  // W6 runs must leave their spill directory empty
  for (const e of res.engines) {
    successes(e).forEach((r, i) => {
      if (r.spillLeft) check.diffs.set(e.peer, [...(check.diffs.get(e.peer) ?? []), `run ${i + 1} left ${r.spillLeft} entries in its spill directory`]);
    });
  }
  return check;
}

function checkAnswers(res: CaseResults): CaseCheck {
  const answered = res.engines.filter((e) => successes(e).length);
  const ref = answered.find((e) => e.peer === 'duckdb') ?? answered[0];
  const diffs = new Map<string, string[]>();
  if (!ref) return { diffs };
  const want = successes(ref)[0].summary;
  for (const e of answered) {
    const lines: string[] = [];
    successes(e).forEach((r, i) => {
      for (const d of diffSummaries(want, r.summary)) lines.push(`run ${i + 1}: ${d}`);
    });
    diffs.set(e.peer, lines);
  }
  return { reference: ref.peer, diffs };
}

/** Mean and standard deviation of exp(U) + 3 sin(U) for U uniform on [0, 1). */
const W7_MEAN = Math.E - 1 + 3 * (1 - Math.cos(1));
const W7_STD = Math.sqrt((Math.E ** 2 - 1) / 2 + 3 * (Math.E * (Math.sin(1) - Math.cos(1)) + 1) + 9 * (0.5 - Math.sin(2) / 4) - W7_MEAN ** 2);

/**
 * W7: engines draw from different generators, so each answer (two grand means of N^2 values)
 * is checked against the known expectation within 6 standard errors (6 sd / N); engines that
 * share a generator (Tessera with 1 or 2 workers) must also agree with each other exactly.
 */
function checkW7(res: CaseResults): CaseCheck {
  const tol = (6 * W7_STD) / parseW7(res.path).n;
  const reference = `E[exp(U) + 3 sin(U)] = ${W7_MEAN.toFixed(9)} (+-${tol.toPrecision(2)})`;
  const diffs = new Map<string, string[]>();
  const answered = res.engines.filter((e) => successes(e).length);
  for (const e of answered) {
    const lines: string[] = [];
    successes(e).forEach((r, i) => {
      const got = r.summary.stats?.sums ?? [];
      if (got.length !== 2) lines.push(`run ${i + 1}: expected 2 statistics, got ${got.length}`);
      got.forEach((v, k) => { if (!(Math.abs(v - W7_MEAN) <= tol)) lines.push(`run ${i + 1}: statistic ${k + 1} = ${v}, outside ${reference}`); });
    });
    diffs.set(e.peer, lines);
  }
  const [a, b] = ['tessera', 'tessera-1w'].map((p) => answered.find((e) => e.peer === p));
  if (a && b) for (const d of diffSummaries(successes(a)[0].summary, successes(b)[0].summary)) diffs.get(b.peer)!.push(`vs tessera: ${d}`);
  return { reference, diffs };
}
