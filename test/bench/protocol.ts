/** What a benchmark child process reports to the harness: one marked JSON line on stdout. */
import type { AnswerSummary } from './answer.js';

/** Prefix of the result line, so stray output of an engine on stdout cannot be mistaken for it. */
export const RESULT_MARK = '@@bench-result ';

/** A finished query: wall time, peak RSS of the whole process, and the answer's checksum. */
export interface ChildSuccess {
  ok: true;
  seconds: number;
  maxRssMB: number;
  summary: AnswerSummary;
  /** W6: entries left in the run's spill directory after it ended (set by the harness). */
  spillLeft?: number;
}

/** A run that produced no answer; `unavailable` means the engine could not even be loaded. */
export interface ChildFailure {
  ok: false;
  unavailable?: boolean;
  timeout?: boolean;
  error: string;
}

/** One child's report. */
export type ChildResult = ChildSuccess | ChildFailure;

/** The last result line in a child's stdout, if any. */
export function parseChildOutput(stdout: string): ChildResult | undefined {
  const at = stdout.lastIndexOf(RESULT_MARK);
  if (at < 0) return undefined;
  const end = stdout.indexOf('\n', at);
  return JSON.parse(stdout.slice(at + RESULT_MARK.length, end < 0 ? undefined : end)) as ChildResult;
}
