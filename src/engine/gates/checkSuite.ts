import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { countOutcomes } from '../testing/countOutcomes.js';
import { describeTestRun } from '../testing/describeTestRun.js';
import { isEnvironmentMessage } from '../testing/isEnvironmentMessage.js';
import { runTestsWithReport } from '../testing/runTestsWithReport.js';
import { classifyCommandFailure } from './classifyCommandFailure.js';
import { commandOutput } from './commandOutput.js';
import { describeCommandFailure } from './describeCommandFailure.js';
import { keyErrorLine } from './keyErrorLine.js';
import { firstMessageLine } from '../testing/firstMessageLine.js';

/** Findings listed in a detail before the rest are counted. */
const MAX_LISTED = 20;

/**
 * Rail `suite`: the project's whole suite, judged per test from the runner's report, not by its exit code.
 * Passes only when tests ran, none failed or errored, no test file failed to load, the runner exited 0, and
 * every test that passed in `baseline` (the suite at the commit the change starts from) was collected and
 * passed again: a test that vanished (deleted, renamed, ignored by configuration, never collected) is named.
 * Tests that already failed in the baseline are tolerated and listed. When the runner's report cannot be
 * read (a custom test command), only the exit code is known, and the detail says so.
 */
export async function checkSuite(options: {
  /** Absolute path of the workspace root, holding the changes applied. */
  workspaceDir: string;
  /** How the project runs and recognises tests. */
  stack: StackProfile;
  /** Where commands run. */
  sandbox: Sandbox;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`) and commands. */
  config: ProjectConfig;
  /** Workspace-relative paths used to tell project modules from missing dependencies. */
  localPaths: string[];
  /** The suite's report at the commit the change starts from; null when unknown. */
  baseline: TestReport | null;
  /** Test files the change adds or edits: each must report tests of its own. Default none. */
  changedTestFiles?: string[];
  /** Receives the report of a passing run, so it can serve as the next commit's baseline. */
  onPassingReport?: (report: TestReport) => void;
  /** Cancels running commands (they end as `cancelled`). */
  signal?: AbortSignal;
}): Promise<RailResult> {
  const run = await runTestsWithReport({ ...options, label: 'suite' });
  const { result, report } = run;
  const fail = (findings: string[], failureType: RailResult['failureType']): RailResult => ({
    name: 'suite',
    passed: false,
    failureType,
    detail: `${findings.slice(0, MAX_LISTED).join('\n')}${findings.length > MAX_LISTED ? `\n... and ${findings.length - MAX_LISTED} more` : ''}\n${describeTestRun(run)}`,
  });
  if (result.outcome !== 'exited' || report === null) {
    if (result.outcome === 'exited' && result.exitCode === 0 && options.stack.runner === null) {
      return { name: 'suite', passed: true, detail: `${run.command} passed (exit 0; ${run.reportProblem ?? 'no report'}, so only the exit code is known)` };
    }
    if (result.outcome !== 'exited' || result.exitCode !== 0) {
      return {
        name: 'suite',
        passed: false,
        failureType: classifyCommandFailure({ result, localPaths: options.localPaths }),
        detail: describeCommandFailure({ summary: `the test suite fails${run.reportProblem ? ` (${run.reportProblem})` : ''}`, command: run.command, result }),
      };
    }
    return fail([`the suite reported no test: ${run.reportProblem ?? 'no report'}; exit 0 proves nothing`], 'patch');
  }

  const counts = countOutcomes(report);
  const findings: string[] = [];
  const tolerated: string[] = [];
  const baselineFailed = new Set((options.baseline?.tests ?? []).filter((test) => test.outcome === 'failed' || test.outcome === 'errored').map((test) => test.id));
  for (const error of report.loadErrors) findings.push(`${error.file ?? 'a test file'} could not be loaded: ${firstMessageLine(error.message)}`);
  for (const file of report.emptyFiles.filter((empty) => options.changedTestFiles?.includes(empty))) {
    findings.push(`${file} ran no test: the file ended (or exited the process) before its tests ran`);
  }
  for (const test of report.tests) {
    if (test.outcome !== 'failed' && test.outcome !== 'errored') continue;
    if (baselineFailed.has(test.id)) tolerated.push(test.id);
    else findings.push(`${test.id} ${test.outcome}: ${firstMessageLine(test.message ?? '')}`);
  }
  if (options.baseline) {
    const now = countById(report, 'passed');
    const skippedNow = countById(report, 'skipped');
    for (const [id, expected] of countById(options.baseline, 'passed')) {
      const missing = expected - (now.get(id) ?? 0);
      if (missing <= 0) continue;
      if ((skippedNow.get(id) ?? 0) > 0) findings.push(`${id} passed before the change and is now skipped`);
      else if (!report.tests.some((test) => test.id === id)) findings.push(`${id} passed before the change and is gone: deleted, renamed, ignored by configuration or not collected`);
    }
  }
  if (counts.executed === 0 && findings.length === 0) findings.push('no test ran: the suite must run tests, exit 0 proves nothing');
  // Tests that already failed before the change make the runner exit non-zero; that is what tolerating them means.
  if (findings.length === 0 && tolerated.length === 0 && result.exitCode !== 0) {
    const key = keyErrorLine(commandOutput(result));
    findings.push(`every reported test passed but the runner exited ${result.exitCode}: ${key}`);
  }
  if (findings.length > 0) {
    const messages = [...report.loadErrors.map((error) => error.message), ...report.tests.map((test) => test.message ?? ''), commandOutput(result)];
    const environment = messages.some(isEnvironmentMessage) || classifyCommandFailure({ result, localPaths: options.localPaths }) === 'environment';
    return fail(findings, environment ? 'environment' : 'patch');
  }
  options.onPassingReport?.(report);
  const extra = [
    counts.skipped > 0 ? `${counts.skipped} skipped` : '',
    tolerated.length > 0 ? `${tolerated.length} already failing before the change: ${tolerated.slice(0, 5).join(', ')}` : '',
    options.baseline ? `every test that passed before still passes` : 'no baseline to compare with',
  ].filter(Boolean);
  return { name: 'suite', passed: true, detail: `${counts.passed} tests passed (${extra.join('; ')}): ${run.command}` };
}

function countById(report: TestReport, outcome: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const test of report.tests) if (test.outcome === outcome) counts.set(test.id, (counts.get(test.id) ?? 0) + 1);
  return counts;
}
