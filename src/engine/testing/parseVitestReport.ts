import { z } from 'zod';
import type { TestOutcome, TestReport } from '../../shared/testReportSchema.js';
import { firstLines } from './firstLines.js';
import { toWorkspacePath } from './toWorkspacePath.js';

const vitestJsonSchema = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().optional(),
      assertionResults: z.array(
        z.object({
          ancestorTitles: z.array(z.string()),
          title: z.string(),
          status: z.string(),
          failureMessages: z.array(z.string()).nullish(),
        }),
      ),
    }),
  ),
});

/** Errors a failure message starts with when the test could not run its body at all. */
const SETUP_ERROR = /^(?:Error: )?(?:Hook timed out|beforeAll|beforeEach)/;

/**
 * Reads vitest's JSON reporter output (`--reporter=json --outputFile.json=...`). A file that failed with no
 * tests and a message is one vitest could not load (a missing import, a syntax error). Test ids are
 * `file::describe::...::title`.
 */
export function parseVitestReport(options: {
  /** The JSON text. */
  json: string;
  /** Absolute path of the workspace root, to make reported paths workspace-relative. */
  workspaceDir: string;
}): TestReport {
  const parsed = vitestJsonSchema.parse(JSON.parse(options.json));
  const report: TestReport = { runner: 'vitest', tests: [], loadErrors: [], emptyFiles: [] };
  for (const fileResult of parsed.testResults) {
    const file = toWorkspacePath({ reported: fileResult.name, workspaceDir: options.workspaceDir });
    if (fileResult.assertionResults.length === 0) {
      if (fileResult.status === 'failed' || fileResult.message) report.loadErrors.push({ file, message: firstLines(fileResult.message || 'the file failed to load') });
      continue;
    }
    for (const test of fileResult.assertionResults) {
      const message = (test.failureMessages ?? []).join('\n');
      const outcome: TestOutcome =
        test.status === 'passed' ? 'passed' : test.status === 'failed' ? (SETUP_ERROR.test(message) ? 'errored' : 'failed') : 'skipped';
      report.tests.push({ id: [file, ...test.ancestorTitles, test.title].join('::'), file, outcome, ...(message ? { message: firstLines(message) } : {}) });
    }
    if (fileResult.status === 'failed' && fileResult.message) report.loadErrors.push({ file, message: firstLines(fileResult.message) });
  }
  return report;
}
