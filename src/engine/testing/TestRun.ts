import type { TestReport } from '../../shared/testReportSchema.js';
import type { SandboxResult } from '../../shared/sandbox/Sandbox.js';

/** One run of a project's tests: how the command ended and what its runner reported. */
export interface TestRun {
  /** The command as run (without the reporter settings passed through the environment). */
  command: string;
  result: SandboxResult;
  /** The runner's report; null when the stack's runner is unknown or it wrote none. */
  report: TestReport | null;
  /** Why `report` is null, in words; null when there is a report. */
  reportProblem: string | null;
}
