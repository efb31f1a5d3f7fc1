/** The benchmark report's scaling section: one worker over two, paired by repetition. */
import { describe, expect, it } from 'vitest';
import { renderReport } from './report.js';
import type { ChildResult } from './protocol.js';
import type { CaseResults } from './results.js';

const ok = (seconds: number): ChildResult => ({ ok: true, seconds, maxRssMB: 100, summary: {} });
const header = { rows: 1e7, reps: 3, date: 'd', machine: 'm' };

describe('bench report', () => {
  it('pairs tessera-1w with tessera by repetition and skips a failed pair', () => {
    const res: CaseResults = {
      case: { id: 'W2-text', workload: 'W2', format: 'text', label: 'W2' } as CaseResults['case'],
      path: 'p',
      engines: [
        { peer: 'tessera', runs: [ok(2), ok(4), ok(2.5), ok(3)] },
        { peer: 'tessera-1w', runs: [ok(3.6), ok(6), { ok: false, error: 'x' }, ok(6)] },
      ],
    };
    const md = renderReport(header, [{ res, check: { diffs: new Map() } }]);
    // pairs 1.8, 1.5, 2.0 (the third failed); medians 2.75 and 6
    expect(md).toContain('- W2: per repetition 1.80, 1.50, 2.00; median 1.80; ratio of the medians 2.18');
    const even = { ...res, engines: [{ peer: 'tessera', runs: [ok(2), ok(4)] }, { peer: 'tessera-1w', runs: [ok(3), ok(8)] }] };
    expect(renderReport(header, [{ res: even, check: { diffs: new Map() } }])).toContain('per repetition 1.50, 2.00; median 1.75; ratio of the medians 1.83');
  });

  it('has no scaling section without a one-worker run', () => {
    const res: CaseResults = {
      case: { id: 'W4-csv', workload: 'W4', format: 'csv', label: 'W4' } as CaseResults['case'],
      path: 'p',
      engines: [{ peer: 'tessera', runs: [ok(1)] }, { peer: 'duckdb', runs: [ok(1)] }],
    };
    expect(renderReport(header, [{ res, check: { diffs: new Map() } }])).not.toContain('Scaling');
  });
});
