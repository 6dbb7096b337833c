import type { GateReport } from '../../../shared/gateReportSchema.js';
import type { Plan } from '../../../shared/planSchema.js';
import type { TestReport } from '../../../shared/testReportSchema.js';
import { runGates } from '../../gates/runGates.js';
import type { FileChange } from '../../ports/Vcs.js';
import { formatRailFeedback } from '../formatRailFeedback.js';
import { AttemptFailed } from './AttemptFailed.js';
import { runRailsOffGates } from './runRailsOffGates.js';
import type { PhaseResult } from './PhaseResult.js';
import type { TaskContext } from './TaskContext.js';

/**
 * GATES: every deterministic rail over the applied change (rails off: path safety and the suite only); a
 * NO_GO fails the attempt with the rails' feedback.
 */
export async function gateChanges(options: {
  ctx: TaskContext;
  attemptId: number;
  attempt: number;
  plan: Plan;
  changes: FileChange[];
  /** Failed rails counted per name across the task's attempts; updated in place. */
  railsFired: Record<string, number>;
  taskText: string;
  /** The suite's report at the task's starting commit, or null when none could be read. */
  baseline: TestReport | null;
  /** Receives the suite's report when it passed, to become the delivered commit's baseline. */
  onPassingSuite: (report: TestReport) => void;
}): Promise<PhaseResult<GateReport>> {
  const { ctx, attemptId, attempt, plan, changes, railsFired } = options;
  const report: GateReport = ctx.session.rails === 'off'
    ? await runRailsOffGates({ ctx, changes, testFiles: [plan.testFile], baseline: options.baseline, onPassingSuite: options.onPassingSuite })
    : await runGates({
    workspaceDir: ctx.workspaceDir,
    changes,
    scope: { plannedFiles: plan.targetFiles, testFiles: [plan.testFile] },
    stack: ctx.stack,
    config: ctx.config,
    sandbox: ctx.sandbox,
    applied: true,
    taskText: options.taskText,
    baseline: options.baseline,
    onPassingSuite: options.onPassingSuite,
    now: ctx.clock.now,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  ctx.store.recordRails(attemptId, report.rails);
  for (const rail of report.rails) {
    ctx.emit({ type: 'rail/result', at: ctx.clock.now(), taskRunId: ctx.taskRun.id, attempt, rail });
    if (!rail.passed && !rail.skipped) railsFired[rail.name] = (railsFired[rail.name] ?? 0) + 1;
  }
  if (report.verdict === 'NO_GO') {
    const first = report.rails.find((rail) => !rail.passed && !rail.skipped) ?? report.rails.find((rail) => !rail.passed);
    const testBroken = report.rails.some((rail) => !rail.passed && (rail.name === 'bite' || rail.name === 'test-integrity'));
    throw new AttemptFailed({
      type: first?.failureType ?? 'patch',
      file: first?.file ?? '',
      evidence: first?.detail ?? '',
      feedback: formatRailFeedback({ report }),
      ...(report.fingerprint ? { fingerprint: report.fingerprint } : {}),
      keepTest: !testBroken,
    });
  }
  const passed = report.rails.filter((rail) => rail.passed).length;
  return { value: report, detail: `${passed}/${report.rails.length} rails passed` };
}
