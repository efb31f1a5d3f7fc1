/** Cross-checks the answers of every engine on a case against one reference engine. */
import { diffSummaries } from './answer.js';
import { successes, type CaseResults } from './results.js';

/** Outcome of the cross-check of one case. */
export interface CaseCheck {
  /** Engine whose answer the others are compared with (DuckDB when it answered). */
  reference?: string;
  /** Differences per engine; an engine with an empty list agrees with the reference. */
  diffs: Map<string, string[]>;
}

/** Compares every successful run (all reps, not just the first) with the reference's first answer. */
export function crossCheck(res: CaseResults): CaseCheck {
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
