import type { TestReport } from '../../shared/testReportSchema.js';

/** How many tests of a report ended each way; `executed` is every test whose body ran or tried to. */
export function countOutcomes(report: TestReport): { executed: number; passed: number; failed: number; errored: number; skipped: number } {
  const count = (outcome: string) => report.tests.filter((test) => test.outcome === outcome).length;
  const passed = count('passed');
  const failed = count('failed');
  const errored = count('errored');
  return { executed: passed + failed + errored, passed, failed, errored, skipped: count('skipped') };
}
