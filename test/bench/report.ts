/** The markdown report: one row per case and engine, times relative to DuckDB. */
import type { CaseCheck } from './check.js';
import { failure, median, medianSeconds, peakRssMB, successes, type CaseResults } from './results.js';

/** Context printed above the table. */
export interface ReportHeader {
  rows: number;
  /** W6 rows and memory limit, when W6 ran. */
  w6?: { rows: number; memory: string };
  reps: number;
  date: string;
  machine: string;
}

/** Renders results as a markdown document (table, then any answer mismatches in full). */
export function renderReport(h: ReportHeader, cases: { res: CaseResults; check: CaseCheck }[]): string {
  const out: string[] = [
    `# Benchmark run ${h.date}`,
    '',
    `G1 rows: ${h.rows}${h.w6 ? ` (W6: ${h.w6.rows}, memory limit ${h.w6.memory})` : ''}, reps: ${h.reps} (median shown; peak RSS is the largest over reps). ${h.machine}`,
    '',
    '| workload | engine | median s | ratio vs DuckDB | peak RSS MB | answer |',
    '|---|---|---:|---:|---:|---|',
  ];
  const mismatches: string[] = [];
  for (const { res, check } of cases) {
    const duck = res.engines.find((e) => e.peer === 'duckdb');
    const base = duck ? medianSeconds(duck) : undefined;
    for (const e of res.engines) {
      const t = medianSeconds(e);
      const fail = failure(e);
      if (t === undefined) {
        const what = fail?.unavailable ? 'unavailable' : fail?.timeout ? 'timeout' : 'failed';
        out.push(`| ${res.case.label} | ${e.peer} | ${what} | | | ${cell(fail?.error ?? '')} |`);
        continue;
      }
      const diffs = check.diffs.get(e.peer) ?? [];
      const spill = res.case.workload === 'W6' && successes(e).every((r) => r.spillLeft === 0) ? ', spill dir empty' : '';
      const answer = (e.peer === check.reference ? 'reference' : diffs.length ? '**MISMATCH**' : 'ok') + spill;
      if (diffs.length) mismatches.push(`- ${res.case.label}, ${e.peer} vs ${check.reference}:`, ...diffs.map((d) => `  - ${d}`));
      const ratio = base ? (t / base).toFixed(2) : '';
      out.push(`| ${res.case.label} | ${e.peer} | ${t.toFixed(3)} | ${ratio} | ${Math.round(peakRssMB(e) ?? 0)} | ${answer} |`);
    }
  }
  const scaling = cases.map(({ res }) => scalingLine(res)).filter((l): l is string => l !== undefined);
  if (scaling.length) out.push('', '## Scaling: tessera-1w / tessera', '', 'Each repetition runs the two back to back, so their ratio is measured side by side.', '', ...scaling);
  if (mismatches.length) out.push('', '## Answer mismatches', '', ...mismatches);
  return out.join('\n') + '\n';
}

/** One worker's time over two workers', per repetition (both runs ok), their median and the ratio of the medians. */
function scalingLine(res: CaseResults): string | undefined {
  const two = res.engines.find((e) => e.peer === 'tessera'), one = res.engines.find((e) => e.peer === 'tessera-1w');
  if (!two || !one) return undefined;
  const per: number[] = [];
  for (let i = 0; i < Math.min(two.runs.length, one.runs.length); i++) {
    const a = two.runs[i], b = one.runs[i];
    if (a.ok && b.ok) per.push(b.seconds / a.seconds);
  }
  const m1 = medianSeconds(one), m2 = medianSeconds(two), mid = median(per);
  if (mid === undefined || m1 === undefined || m2 === undefined) return undefined;
  return `- ${res.case.label}: per repetition ${per.map((x) => x.toFixed(2)).join(', ')}; median ${mid.toFixed(2)}; ratio of the medians ${(m1 / m2).toFixed(2)}`;
}

function cell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ').slice(0, 200);
}
