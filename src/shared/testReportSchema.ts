import { z } from 'zod';

/**
 * How one test ended: `passed`; `failed` (its body ran and an assertion or an exception in it failed);
 * `errored` (it could not run: import, collection, fixture setup or teardown error); `skipped` (skip, xfail,
 * todo).
 */
export const testOutcomeSchema = z.enum(['passed', 'failed', 'errored', 'skipped']);

export type TestOutcome = z.infer<typeof testOutcomeSchema>;

/** One test as the runner reported it. */
export const testCaseResultSchema = z.object({
  /**
   * Stable identity across runs: the workspace-relative file, then the class or describe chain, then the
   * test's name, joined with `::` (`tests/test_cart.py::TestTotals::test_discount[10]`).
   */
  id: z.string().min(1),
  /** Workspace-relative path of the test file, forward slashes. */
  file: z.string(),
  outcome: testOutcomeSchema,
  /** The failure or error message's first lines, when not passed. */
  message: z.string().optional(),
});

export type TestCaseResult = z.infer<typeof testCaseResultSchema>;

/** What one test run did, read from the runner's machine-readable report rather than its exit code. */
export const testReportSchema = z.object({
  runner: z.enum(['pytest', 'vitest', 'node-test']),
  tests: z.array(testCaseResultSchema),
  /** Files that could not be loaded or collected (no test ids for them), with the runner's error. */
  loadErrors: z.array(z.object({ file: z.string().nullable(), message: z.string() })),
  /** Test files the runner ran that reported no test at all (node runs every file it finds as a test). */
  emptyFiles: z.array(z.string()),
});

export type TestReport = z.infer<typeof testReportSchema>;
