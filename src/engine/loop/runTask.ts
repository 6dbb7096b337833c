import type { Decision } from '../../shared/decision.js';
import type { Plan } from '../../shared/planSchema.js';
import type { TaskStatus } from '../../shared/taskStatus.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import { failureFingerprint } from '../gates/failureFingerprint.js';
import type { FileChange } from '../ports/Vcs.js';
import { writeChanges } from '../workspace/writeChanges.js';
import { attemptBudget } from './attemptBudget.js';
import { decide } from './decide.js';
import { findEnvironmentOutage } from './findEnvironmentOutage.js';
import { formatTaskText } from './formatTaskText.js';
import { mergeChanges } from './mergeChanges.js';
import { AttemptFailed } from './phases/AttemptFailed.js';
import { deliverCommit } from './phases/deliverCommit.js';
import { ensureBaseline } from './phases/ensureBaseline.js';
import { gateChanges } from './phases/gateChanges.js';
import { isAbort } from './phases/isAbort.js';
import { planTask } from './phases/planTask.js';
import { reviewChanges } from './phases/reviewChanges.js';
import type { ReviewAudit } from './phases/ReviewAudit.js';
import { ReviewRejected } from './phases/ReviewRejected.js';
import { runPhase } from './phases/runPhase.js';
import type { TaskContext } from './phases/TaskContext.js';
import type { TaskOutcome } from './phases/TaskOutcome.js';
import { throwIfAborted } from './phases/throwIfAborted.js';
import { unexpectedFailure } from './phases/unexpectedFailure.js';
import type { VerifiedRed } from './phases/VerifiedRed.js';
import { writeCode } from './phases/writeCode.js';
import { writeFailingTest } from './phases/writeFailingTest.js';
import { writeTaskAudit } from './phases/writeTaskAudit.js';
import { unifiedDiff } from './unifiedDiff.js';
import { writeHandoffReport } from './writeHandoffReport.js';

/**
 * Runs one task through PLAN, RED, GREEN, GATES, REVIEW and DECIDE until it is delivered, deadlocked or
 * escalated. The workspace is left exactly at the delivered (or original) state.
 */
export async function runTask(ctx: TaskContext): Promise<TaskOutcome> {
  const { taskRun, store, clock } = ctx;
  const task = taskRun.spec;
  const taskText = formatTaskText({ task });
  const maxAttempts = ctx.config.maxAttempts;
  const railsFired: Record<string, number> = {};
  let plan: Plan | null = null;
  let red: VerifiedRed | null = null;
  /** The plan the kept test was written for, across a re-plan. */
  let redPlan: Plan | null = null;
  let feedback = '';
  let lastReview: ReviewAudit = { verdict: null, askVerified: null };
  let lastDecision: Decision | null = null;
  let lastDiff = '';
  const startedAt = clock.now();
  const baseline = await ensureBaseline({ ctx });
  let passingSuite: TestReport | null = null;
  // A crash can land between starting an attempt and counting it; the attempt rows are the truth.
  const { lastNumber: attemptsBefore, limit } = attemptBudget({ attempts: store.listAttempts(taskRun.id), maxAttempts });

  for (let number = attemptsBefore + 1; number <= limit; number += 1) {
    throwIfAborted(ctx.signal);
    const attempt = store.startAttempt({ taskRunId: taskRun.id, number, startedAt: clock.now() });
    store.updateTaskRun(taskRun.id, { attempts: number });
    ctx.emit({ type: 'attempt/started', at: clock.now(), taskRunId: taskRun.id, attempt: number, maxAttempts: limit });
    let green: FileChange[] = [];
    const phase = { ctx, attemptId: attempt.id, attempt: number };
    const inputs = { ctx, taskText, attempt: number, feedback };

    try {
      const previousPlan = plan ?? redPlan;
      const currentPlan: Plan = plan ?? (await runPhase({ ...phase, name: 'plan', body: () => planTask(inputs) }));
      plan = currentPlan;
      // A new plan that names another test file cannot build on the kept test: RED starts again.
      if (red && previousPlan && previousPlan.testFile !== currentPlan.testFile) {
        await writeChanges({ root: ctx.workspaceDir, changes: red.changes, side: 'before' });
        red = null;
      }
      redPlan = currentPlan;
      const verifiedRed: VerifiedRed = red ?? (await runPhase({ ...phase, name: 'red', body: () => writeFailingTest({ ...inputs, plan: currentPlan }) }));
      red = verifiedRed;
      green = await runPhase({ ...phase, name: 'green', body: () => writeCode({ ...inputs, plan: currentPlan, testContent: verifiedRed.testContent }) });
      const changes = mergeChanges({ sets: [verifiedRed.changes, green] });
      lastDiff = unifiedDiff({ changes });
      store.setAttemptDiff(attempt.id, lastDiff);
      ctx.emit({ type: 'attempt/diff', at: clock.now(), taskRunId: taskRun.id, attempt: number, diff: lastDiff });
      passingSuite = null;
      await runPhase({
        ...phase,
        name: 'gates',
        body: () =>
          gateChanges({ ctx, attemptId: attempt.id, attempt: number, plan: currentPlan, changes, railsFired, taskText, baseline, onPassingSuite: (report) => (passingSuite = report) }),
      });
      // Rails off is the benchmark's baseline: a passing suite alone delivers, with no reviewer to ask.
      if (ctx.session.rails !== 'off') {
        const verdict = await runPhase({ ...phase, name: 'review', body: () => reviewChanges({ ctx, taskText, attempt: number, plan: currentPlan, changes }) });
        lastReview = verdict.audit;
      }

      lastDecision = decide({ passed: true, repeats: 0, attempt: number, limit });
      store.finishAttempt(attempt.id, { decision: lastDecision, failureType: null, fingerprint: null, feedback: '', endedAt: clock.now() });
      ctx.emit({ type: 'attempt/decided', at: clock.now(), taskRunId: taskRun.id, attempt: number, decision: lastDecision, reason: ctx.session.rails === 'off' ? 'rails off: the suite passed' : 'every rail passed and the reviewer said GO' });
      const commit = await runPhase({ ...phase, name: 'deliver', body: () => deliverCommit({ ctx, plan: currentPlan, changes, attempts: number }) });
      ctx.baselines.set(commit, passingSuite);
      const outcome: TaskOutcome = { status: 'done', reason: `committed ${commit.slice(0, 12)} after ${number} attempt(s)`, commit };
      writeTaskAudit({ ctx, outcome, decision: lastDecision, attempts: number, railsFired, review: lastReview, changes, startedAt });
      return outcome;
    } catch (error) {
      if (isAbort(error, ctx.signal)) {
        await writeChanges({ root: ctx.workspaceDir, changes: mergeChanges({ sets: [red?.changes ?? [], green] }), side: 'before' });
        throw error;
      }
      const failure = error instanceof AttemptFailed ? error.failure : unexpectedFailure(error);
      const outage = await findEnvironmentOutage({ error, failureType: failure.type, ...(ctx.recheckEnvironment ? { recheck: ctx.recheckEnvironment } : {}) });
      if (outage) {
        // Not the model's failure: the attempt is interrupted (not counted) and the session waits for the environment.
        store.finishAttempt(attempt.id, { decision: 'INTERRUPTED', failureType: 'environment', fingerprint: null, feedback: outage.message, endedAt: clock.now() });
        await writeChanges({ root: ctx.workspaceDir, changes: mergeChanges({ sets: [red?.changes ?? [], green] }), side: 'before' });
        throw outage;
      }
      if (failure.rail) {
        store.recordRails(attempt.id, [failure.rail]);
        railsFired[failure.rail.name] = (railsFired[failure.rail.name] ?? 0) + 1;
        ctx.emit({ type: 'rail/result', at: clock.now(), taskRunId: taskRun.id, attempt: number, rail: failure.rail });
      }
      if (failure.type === 'review' && error instanceof ReviewRejected) lastReview = error.audit;
      const fingerprint =
        failure.fingerprint ?? failureFingerprint({ failureType: failure.type, file: failure.file, stderr: failure.evidence });
      store.recordFailure({
        taskRunId: taskRun.id,
        attemptId: attempt.id,
        type: failure.type,
        fingerprint,
        file: failure.file || null,
        message: failure.feedback.slice(0, 8192),
        at: clock.now(),
      });
      const repeats = store.countFingerprint(taskRun.id, fingerprint);
      const decision = decide({ passed: false, repeats, attempt: number, limit });
      lastDecision = decision;
      feedback = failure.feedback;
      store.finishAttempt(attempt.id, { decision, failureType: failure.type, fingerprint, feedback: failure.feedback.slice(0, 16_384), endedAt: clock.now() });
      const reason =
        decision === 'DEADLOCK'
          ? `the same ${failure.type} failure (${fingerprint}) happened ${repeats} times`
          : decision === 'ESCALATE'
            ? `${maxAttempts} attempts spent; last failure: ${failure.type}`
            : `${failure.type} failure; retrying with the feedback`;
      ctx.emit({ type: 'attempt/decided', at: clock.now(), taskRunId: taskRun.id, attempt: number, decision, failureType: failure.type, fingerprint, reason });

      // Keep a verified failing test across attempts unless the failure was about the test itself.
      const keepRed = failure.keepTest && red !== null;
      await writeChanges({ root: ctx.workspaceDir, changes: green, side: 'before' });
      if (!keepRed && red) {
        await writeChanges({ root: ctx.workspaceDir, changes: red.changes, side: 'before' });
        red = null;
      }
      // A plan whose files were wrong is asked again, with the refusal as feedback, even when the test is kept:
      // keeping it would refuse every later attempt's code for the same files (a certain deadlock).
      if (failure.type === 'localization' || failure.type === 'scope') plan = null;
      if (decision === 'RETRY') continue;

      if (red) await writeChanges({ root: ctx.workspaceDir, changes: red.changes, side: 'before' });
      const status: TaskStatus = decision === 'DEADLOCK' ? 'deadlocked' : 'escalated';
      const report = await writeHandoffReport({
        dir: ctx.reportsDir,
        session: ctx.session,
        taskRun,
        status,
        reason,
        explanation: store.explain(taskRun.id),
        lastDiff,
      });
      const outcome: TaskOutcome = { status, reason: `${reason}; ${report.advice[0] ? `next: ${report.advice[0].replace(/\.$/, '')}; ` : ''}handoff report: ${report.path}`, commit: null };
      writeTaskAudit({ ctx, outcome, decision, attempts: number, railsFired, review: lastReview, changes: [], startedAt });
      return outcome;
    }
  }
  const outcome: TaskOutcome = { status: 'escalated', reason: `no attempts left (${attemptsBefore} used before a restart)`, commit: null };
  writeTaskAudit({ ctx, outcome, decision: lastDecision, attempts: attemptsBefore, railsFired, review: lastReview, changes: [], startedAt });
  return outcome;
}
