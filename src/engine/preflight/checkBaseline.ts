import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { describeTestRun } from '../testing/describeTestRun.js';
import { runTestsWithReport } from '../testing/runTestsWithReport.js';
import type { PreflightCheck } from './PreflightCheck.js';

/** Failing tests named in the detail; the rest are counted. */
const NAMED_FAILURES = 10;

/**
 * Runs the whole suite at the starting commit in the sandbox (the baseline the suite rail compares with)
 * and judges it by the runner's report: every test passes (no tests at all is fine), or, without a report,
 * the command exits 0. A failing baseline fails the check unless `allowFailing`, when it is a warning and
 * the suite rail refuses only new failures. `report` is what the suite rail's baseline cache wants; it is
 * absent when the suite did not run to an end (timeout, sandbox failure).
 */
export async function checkBaseline(options: {
  sandbox: Sandbox;
  workspaceDir: string;
  config: ProjectConfig;
  stack: StackProfile;
  /** Let a night start on a suite that already fails. Default false. */
  allowFailing?: boolean;
  signal?: AbortSignal;
}): Promise<{ check: PreflightCheck; report?: TestReport | null }> {
  const base = { id: 'baseline', title: 'test suite passes at the starting commit' };
  const run = await runTestsWithReport({
    sandbox: options.sandbox,
    workspaceDir: options.workspaceDir,
    config: options.config,
    stack: options.stack,
    label: 'baseline',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const { result, report } = run;
  if (result.outcome === 'timeout') {
    return {
      check: {
        ...base,
        status: 'failed',
        detail: `\`${run.command}\` did not finish within ${options.config.commandTimeoutMs} ms.\n${describeTestRun(run)}`,
        fix: 'Raise "commandTimeoutMs" in nightshift.json, or set "testCommand" to a faster suite.',
      },
    };
  }
  if (result.outcome !== 'exited') {
    return {
      check: {
        ...base,
        status: 'failed',
        component: 'sandbox',
        detail: `\`${run.command}\` could not run (${result.outcome}).\n${describeTestRun(run)}`,
        fix: 'Check the sandbox (`nightshift sandbox doctor`) and try again.',
      },
    };
  }
  const failing = report
    ? [
        ...report.tests.filter((test) => test.outcome === 'failed' || test.outcome === 'errored').map((test) => `${test.id} (${test.outcome})`),
        ...report.loadErrors.map((error) => `${error.file ?? 'collection'} (could not load)`),
      ]
    : result.exitCode === 0
      ? []
      : [`\`${run.command}\` exited ${result.exitCode}`];
  if (failing.length === 0) {
    const counted = report ? `${report.tests.filter((test) => test.outcome === 'passed').length} test(s) pass` : `exit 0 (${run.reportProblem ?? 'no report'})`;
    return { check: { ...base, status: 'ok', detail: `\`${run.command}\`: ${counted}`, fix: '' }, report };
  }
  const named = failing.slice(0, NAMED_FAILURES).join(', ') + (failing.length > NAMED_FAILURES ? ` and ${failing.length - NAMED_FAILURES} more` : '');
  const detail = `Already failing before any change: ${named}.\n${describeTestRun(run)}`;
  if (options.allowFailing) {
    return {
      check: { ...base, status: 'warning', detail, fix: 'Allowed by --allow-failing-baseline: the suite rail refuses only new failures; fix these when you can.' },
      report,
    };
  }
  return {
    check: {
      ...base,
      status: 'failed',
      detail,
      fix: 'Make the suite pass at HEAD (fix or skip these tests), or run with --allow-failing-baseline so the suite rail refuses only new failures.',
    },
    report,
  };
}
