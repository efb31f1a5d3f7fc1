/**
 * Prints one plain closing line, `N passed, N failed[, N skipped]`, after vitest's own report,
 * so any tool reading the end of the test output sees the counts.
 */
interface TestCaseLike { result(): { state: string } }
interface ModuleLike { children: { allTests(): Iterable<TestCaseLike> } }

export default class SummaryReporter {
  onTestRunEnd(modules: readonly ModuleLike[]): void {
    let passed = 0, failed = 0, skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
