/**
 * Prints one plain closing line, `N passed, N failed[, N skipped][, N not run][, N errors]`,
 * after vitest's own report, so any tool reading the end of the test output sees the counts.
 * A test file whose process died (an out-of-memory crash, say) leaves its tests "not run" and
 * an error: both are counted, so such a run never reads as clean.
 */
interface TestCaseLike { result(): { state: string } }
interface ModuleLike { children: { allTests(): Iterable<TestCaseLike> } }

export default class SummaryReporter {
  onTestRunEnd(modules: readonly ModuleLike[], errors: readonly unknown[] = []): void {
    let passed = 0, failed = 0, skipped = 0, notRun = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else if (s === 'skipped') skipped++;
        else notRun++;
      }
    }
    const extra = (n: number, what: string) => (n ? `, ${n} ${what}` : '');
    process.stdout.write(`\n${passed} passed, ${failed} failed${extra(skipped, 'skipped')}${extra(notRun, 'not run')}${extra(errors.length, 'errors')}\n`);
  }
}
