import type { z } from 'zod';
import { coderOutputSchema, type CoderOutput } from '../../shared/coderOutputSchema.js';
import type { Decision } from '../../shared/decision.js';
import type { EngineEvent } from '../../shared/engineEventSchema.js';
import type { FailureType } from '../../shared/failureType.js';
import type { GateReport } from '../../shared/gateReportSchema.js';
import type { ModelRole } from '../../shared/modelRole.js';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { PhaseName } from '../../shared/phaseName.js';
import { planSchema, type Plan } from '../../shared/planSchema.js';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import { reviewVerdictSchema, type ReviewVerdict } from '../../shared/reviewVerdictSchema.js';
import type { TaskStatus } from '../../shared/taskStatus.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import { runTestsWithReport } from '../testing/runTestsWithReport.js';
import { failureFingerprint } from '../gates/failureFingerprint.js';
import { judgeRedRun } from '../gates/judgeRedRun.js';
import { runGates } from '../gates/runGates.js';
import { ModelOutputError } from '../models/ModelOutputError.js';
import type { EngineDeps } from '../createEngine.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { AuditRecord, SessionRecord, TaskRunRecord } from '../ports/Store.js';
import type { FileChange } from '../ports/Vcs.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { applyEdits } from '../workspace/applyEdits.js';
import { EditApplyError } from '../workspace/EditApplyError.js';
import { PathEscapeError } from '../workspace/PathEscapeError.js';
import { resolveWorkspacePath } from '../workspace/resolveWorkspacePath.js';
import { writeChanges } from '../workspace/writeChanges.js';
import type { PreflightCheck } from '../preflight/PreflightCheck.js';
import { findEnvironmentOutage } from './findEnvironmentOutage.js';
import { formatRailFeedback } from './formatRailFeedback.js';
import { formatTaskText } from './formatTaskText.js';
import { listWorkspaceFiles } from './listWorkspaceFiles.js';
import { attemptBudget } from './attemptBudget.js';
import { mergeChanges } from './mergeChanges.js';
import { quoteIsInTask } from './quoteIsInTask.js';
import { readWorkspaceFiles } from './readWorkspaceFiles.js';
import { unifiedDiff } from './unifiedDiff.js';
import { writeHandoffReport } from './writeHandoffReport.js';

/** Identical failure fingerprints within one task that end it as DEADLOCK. */
const DEADLOCK_REPEATS = 3;

/** Token budgets per prompt, sized for the smallest supported context windows. */
const BUDGET_TOKENS: Record<ModelRole, number> = { brain: 6_000, coder: 12_000, qa: 8_000 };

/** What one task run needs from the session around it. */
export interface TaskContext extends Pick<EngineDeps, 'models' | 'store' | 'vcs' | 'clock' | 'prompts'> {
  /** The session's sandbox. */
  sandbox: Sandbox;
  session: SessionRecord;
  taskRun: TaskRunRecord;
  /** Absolute path of the user's repository root. */
  repoRoot: string;
  workspaceDir: string;
  reportsDir: string;
  /** Commit the delivery branch points to now; the workspace holds its tree when the task starts. */
  headOid: string;
  /**
   * The suite's report per commit for this session (null: none could be read), so the baseline the suite
   * rail compares with is run once per commit; a delivered commit's entry is the report its gates produced.
   */
  baselines: Map<string, TestReport | null>;
  /** What the delivery branch is expected to point to before this task's commit (null: not created). */
  expectedBranchOid: string | null;
  stack: StackProfile;
  config: ProjectConfig;
  emit: (event: EngineEvent) => void;
  /**
   * Re-runs the cheap environment checks (sandbox, runner, declared dependencies) after an `environment`
   * failure: the first that fails, or null. A failed one makes the failure the environment's, not the model's.
   */
  recheckEnvironment?: () => Promise<PreflightCheck | null>;
  signal?: AbortSignal;
}

export interface TaskOutcome {
  status: TaskStatus;
  reason: string;
  /** New commit on the delivery branch when delivered. */
  commit: string | null;
}

/** A failing test that RED proved fails for the right reason. */
interface VerifiedRed {
  changes: FileChange[];
  testContent: string;
}

/** A failed attempt, as DECIDE sees it. */
interface AttemptFailure {
  type: FailureType;
  file: string;
  /** Output that identifies the failure; its normalized first 50 characters feed the fingerprint. */
  evidence: string;
  /** Message for the next attempt and the records. */
  feedback: string;
  /** When set, the fingerprint computed by the gates. */
  fingerprint?: string;
  /** Whether the verified failing test can be kept for the next attempt. */
  keepTest: boolean;
  /** A rail that refused the change before the gates ran (path safety, test integrity), for the records. */
  rail?: RailResult;
}

/** Raised inside an attempt to end it with a recorded failure. */
class AttemptFailed extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.feedback);
  }
}

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
  let feedback = '';
  let lastReview: { verdict: AuditRecord['reviewVerdict']; askVerified: boolean | null } = { verdict: null, askVerified: null };
  let lastDecision: Decision | null = null;
  let lastDiff = '';
  const startedAt = clock.now();
  const baseline = await ensureBaseline(ctx);
  let passingSuite: TestReport | null = null;
  // A crash can land between starting an attempt and counting it; the attempt rows are the truth.
  const { lastNumber: attemptsBefore, limit } = attemptBudget({ attempts: store.listAttempts(taskRun.id), maxAttempts });

  for (let number = attemptsBefore + 1; number <= limit; number += 1) {
    throwIfAborted(ctx.signal);
    const attempt = store.startAttempt({ taskRunId: taskRun.id, number, startedAt: clock.now() });
    store.updateTaskRun(taskRun.id, { attempts: number });
    ctx.emit({ type: 'attempt/started', at: clock.now(), taskRunId: taskRun.id, attempt: number, maxAttempts: limit });
    let green: FileChange[] = [];
    const phase = async <T>(name: PhaseName, body: () => Promise<{ value: T; detail: string }>): Promise<T> => {
      const phaseStart = clock.now();
      ctx.emit({ type: 'phase/started', at: phaseStart, taskRunId: taskRun.id, attempt: number, phase: name });
      try {
        const { value, detail } = await body();
        store.recordPhase({ attemptId: attempt.id, phase: name, ok: true, detail, startedAt: phaseStart, endedAt: clock.now() });
        ctx.emit({ type: 'phase/finished', at: clock.now(), taskRunId: taskRun.id, attempt: number, phase: name, ok: true, detail });
        return value;
      } catch (error) {
        const detail = error instanceof AttemptFailed ? error.failure.feedback : describeError(error);
        store.recordPhase({ attemptId: attempt.id, phase: name, ok: false, detail, startedAt: phaseStart, endedAt: clock.now() });
        ctx.emit({ type: 'phase/finished', at: clock.now(), taskRunId: taskRun.id, attempt: number, phase: name, ok: false, detail });
        throw error;
      }
    };

    try {
      const currentPlan: Plan = plan ?? (await phase<Plan>('plan', () => planTask(ctx, taskText, number, feedback)));
      plan = currentPlan;
      const verifiedRed: VerifiedRed =
        red ?? (await phase<VerifiedRed>('red', () => writeFailingTest(ctx, taskText, currentPlan, number, feedback)));
      red = verifiedRed;
      green = await phase('green', () => writeCode(ctx, taskText, currentPlan, verifiedRed.testContent, number, feedback));
      const changes = mergeChanges({ sets: [verifiedRed.changes, green] });
      lastDiff = unifiedDiff({ changes });
      passingSuite = null;
      await phase('gates', () =>
        gate(ctx, { attemptId: attempt.id, attempt: number, plan: currentPlan, changes, railsFired, taskText, baseline, onPassingSuite: (report) => (passingSuite = report) }),
      );
      const verdict = await phase('review', () => review(ctx, taskText, currentPlan, changes, number));
      lastReview = verdict.audit;

      lastDecision = 'COMMIT';
      store.finishAttempt(attempt.id, { decision: 'COMMIT', failureType: null, fingerprint: null, feedback: '', endedAt: clock.now() });
      ctx.emit({ type: 'attempt/decided', at: clock.now(), taskRunId: taskRun.id, attempt: number, decision: 'COMMIT', reason: 'every rail passed and the reviewer said GO' });
      const commit = await phase('deliver', () => deliver(ctx, currentPlan, changes, number));
      ctx.baselines.set(commit, passingSuite);
      const outcome: TaskOutcome = { status: 'done', reason: `committed ${commit.slice(0, 12)} after ${number} attempt(s)`, commit };
      writeAudit(ctx, { outcome, decision: lastDecision, attempts: number, railsFired, review: lastReview, changes, startedAt });
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
      const decision: Decision = repeats >= DEADLOCK_REPEATS ? 'DEADLOCK' : number >= limit ? 'ESCALATE' : 'RETRY';
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
      if (failure.type === 'localization' || failure.type === 'scope') plan = keepRed ? plan : null;
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
      writeAudit(ctx, { outcome, decision, attempts: number, railsFired, review: lastReview, changes: [], startedAt });
      return outcome;
    }
  }
  const outcome: TaskOutcome = { status: 'escalated', reason: `no attempts left (${attemptsBefore} used before a restart)`, commit: null };
  writeAudit(ctx, { outcome, decision: lastDecision, attempts: attemptsBefore, railsFired, review: lastReview, changes: [], startedAt });
  return outcome;
}

async function planTask(ctx: TaskContext, taskText: string, attempt: number, feedback: string) {
  const files = await listWorkspaceFiles({ root: ctx.workspaceDir });
  const targets = ctx.taskRun.spec.targetFiles;
  const plan = await callModel(ctx, {
    role: 'brain',
    promptId: 'brain-plan',
    phase: 'plan',
    attempt,
    schema: planSchema,
    values: {
      task: taskText,
      testCommand: ctx.stack.testCommand,
      stack: ctx.stack.name,
      repoFiles: { text: files.join('\n'), trimmable: true, priority: 1 },
      relevantFiles: { text: await readWorkspaceFiles({ root: ctx.workspaceDir, paths: targets }), trimmable: true, priority: 2 },
      feedback: feedback || 'none',
    },
  });
  const problems: string[] = [];
  for (const path of [plan.testFile, ...plan.targetFiles]) {
    try {
      resolveWorkspacePath({ root: ctx.workspaceDir, path });
    } catch (error) {
      problems.push(describeError(error));
    }
  }
  if (!ctx.stack.isTestFile(plan.testFile)) problems.push(`testFile "${plan.testFile}" is not a test file for ${ctx.stack.name}`);
  if (plan.targetFiles.includes(plan.testFile)) problems.push('targetFiles must not include the test file');
  if (plan.targetFiles.some((path) => ctx.stack.isTestFile(path))) problems.push('targetFiles must not include test files');
  if (targets.length > 0) {
    const outside = plan.targetFiles.filter((path) => !targets.includes(path));
    if (outside.length > 0) problems.push(`the task limits files to ${targets.join(', ')}; the plan adds ${outside.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new AttemptFailed({
      type: 'localization',
      file: plan.testFile,
      evidence: problems.join('\n'),
      feedback: `The plan was rejected:\n- ${problems.join('\n- ')}`,
      keepTest: false,
    });
  }
  return { value: plan, detail: `test ${plan.testFile}; targets ${plan.targetFiles.join(', ')}` };
}

async function writeFailingTest(ctx: TaskContext, taskText: string, plan: Plan, attempt: number, feedback: string) {
  const output = await callModel(ctx, {
    role: 'coder',
    promptId: 'coder-red',
    phase: 'red',
    attempt,
    schema: coderOutputSchema,
    values: {
      task: taskText,
      plan: formatPlan(plan),
      testFile: plan.testFile,
      requiredImports: plan.requiredImports.join('\n') || 'none',
      testCommand: ctx.stack.testFileCommand([plan.testFile]),
      relevantFiles: { text: await readWorkspaceFiles({ root: ctx.workspaceDir, paths: [plan.testFile, ...plan.targetFiles] }), trimmable: true, priority: 1 },
      feedback: feedback || 'none',
    },
  });
  const stray = output.edits.filter((edit) => edit.path !== plan.testFile);
  if (stray.length > 0) {
    throw new AttemptFailed({
      type: 'scope',
      file: stray[0]!.path,
      evidence: `RED edited ${stray.map((edit) => edit.path).join(', ')}`,
      feedback: `RED may only write the planned test file ${plan.testFile}; it also edited ${stray.map((edit) => edit.path).join(', ')}.`,
      keepTest: false,
    });
  }
  const changes = await applyCoderEdits(ctx, output, false);
  const run = await runTestsWithReport({
    sandbox: ctx.sandbox,
    workspaceDir: ctx.workspaceDir,
    config: ctx.config,
    stack: ctx.stack,
    files: [plan.testFile],
    label: 'red',
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const { result } = run;
  const verdict = judgeRedRun({
    stack: ctx.stack,
    result,
    testFile: plan.testFile,
    report: run.report,
    localPaths: [plan.testFile, ...plan.targetFiles],
    baseline: ctx.baselines.get(ctx.headOid) ?? null,
  });
  if (!verdict.ok) {
    await writeChanges({ root: ctx.workspaceDir, changes, side: 'before' });
    const output = `${result.stdout}\n${result.stderr}`.trim();
    throw new AttemptFailed({
      type: verdict.failureType ?? 'patch',
      file: plan.testFile,
      evidence: verdict.reason,
      feedback: `RED rejected: ${verdict.reason}\n\nTest output:\n${tail(output, 6000)}`,
      keepTest: false,
    });
  }
  const testContent = changes.find((change) => change.path === plan.testFile)?.after ?? '';
  return { value: { changes, testContent }, detail: `fails as required: ${verdict.reason}` };
}

async function writeCode(ctx: TaskContext, taskText: string, plan: Plan, testContent: string, attempt: number, feedback: string) {
  const output = await callModel(ctx, {
    role: 'coder',
    promptId: 'coder-green',
    phase: 'green',
    attempt,
    schema: coderOutputSchema,
    values: {
      task: taskText,
      plan: formatPlan(plan),
      requiredImports: plan.requiredImports.join('\n') || 'none',
      testFile: plan.testFile,
      testContent,
      testCommand: ctx.stack.testFileCommand([plan.testFile]),
      relevantFiles: { text: await readWorkspaceFiles({ root: ctx.workspaceDir, paths: plan.targetFiles }), trimmable: true, priority: 1 },
      feedback: { text: feedback || 'none', trimmable: true, priority: 2 },
    },
  });
  const touchedTests = output.edits.filter((edit) => edit.path === plan.testFile || ctx.stack.isTestFile(edit.path));
  if (touchedTests.length > 0) {
    const rail: RailResult = {
      name: 'test-integrity',
      passed: false,
      detail: `GREEN may not change tests; it edited ${touchedTests.map((edit) => edit.path).join(', ')}.`,
      failureType: 'scope',
      file: touchedTests[0]!.path,
    };
    throw new AttemptFailed({ type: 'scope', file: rail.file ?? '', evidence: rail.detail, feedback: rail.detail, keepTest: true, rail });
  }
  const changes = await applyCoderEdits(ctx, output, true);
  return { value: changes, detail: `${changes.length} file(s): ${changes.map((change) => change.path).join(', ')}` };
}

/** Applies edits; path escapes surface through the gates (so the path-safety rail reports them). */
async function applyCoderEdits(ctx: TaskContext, output: CoderOutput, keepTest: boolean): Promise<FileChange[]> {
  try {
    return await applyEdits({ root: ctx.workspaceDir, edits: output.edits });
  } catch (error) {
    if (error instanceof PathEscapeError) {
      const rail: RailResult = {
        name: 'path-safety',
        passed: false,
        detail: `${error.message}. Nothing was written; only paths inside the repository are allowed.`,
        failureType: 'scope',
        file: String(error.context.path ?? ''),
      };
      throw new AttemptFailed({ type: 'scope', file: rail.file ?? '', evidence: error.message, feedback: `Rail "path-safety" failed: ${rail.detail}`, keepTest, rail });
    }
    if (error instanceof EditApplyError) {
      throw new AttemptFailed({
        type: 'localization',
        file: String(error.context.path ?? ''),
        evidence: error.message,
        feedback: `An edit could not be applied: ${error.message}`,
        keepTest,
      });
    }
    throw error;
  }
}

/** The suite's report at the task's starting commit: from the session's cache, or run once now. */
async function ensureBaseline(ctx: TaskContext): Promise<TestReport | null> {
  if (ctx.baselines.has(ctx.headOid)) return ctx.baselines.get(ctx.headOid) ?? null;
  const run = await runTestsWithReport({
    sandbox: ctx.sandbox,
    workspaceDir: ctx.workspaceDir,
    config: ctx.config,
    stack: ctx.stack,
    label: 'baseline',
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  throwIfAborted(ctx.signal);
  ctx.baselines.set(ctx.headOid, run.report);
  return run.report;
}

async function gate(
  ctx: TaskContext,
  options: {
    attemptId: number;
    attempt: number;
    plan: Plan;
    changes: FileChange[];
    railsFired: Record<string, number>;
    taskText: string;
    baseline: TestReport | null;
    onPassingSuite: (report: TestReport) => void;
  },
) {
  const { attemptId, attempt, plan, changes, railsFired } = options;
  const report: GateReport = await runGates({
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

class ReviewRejected extends AttemptFailed {
  constructor(
    failure: AttemptFailure,
    readonly audit: { verdict: AuditRecord['reviewVerdict']; askVerified: boolean | null },
  ) {
    super(failure);
  }
}

async function review(ctx: TaskContext, taskText: string, plan: Plan, changes: FileChange[], attempt: number) {
  const verdict: ReviewVerdict = await callModel(ctx, {
    role: 'qa',
    promptId: 'qa-review',
    phase: 'review',
    attempt,
    schema: reviewVerdictSchema,
    values: {
      task: taskText,
      plan: formatPlan(plan),
      diff: { text: unifiedDiff({ changes }), trimmable: true, priority: 1 },
      gates: 'All deterministic rails passed: path safety, protected paths, scope, syntax, lint, typecheck, test integrity, diff size, stubs, bite check, full suite.',
    },
  });
  const askVerified = quoteIsInTask({ quote: verdict.quotedAsk, taskText });
  const blocking = verdict.findings.filter((finding) => finding.severity === 'blocking');
  if (verdict.verdict === 'GO' && askVerified && blocking.length === 0) {
    return { value: { audit: { verdict: 'GO' as const, askVerified } }, detail: `GO: ${verdict.summary}` };
  }
  const demoted = verdict.verdict === 'GO';
  const problems = demoted
    ? [
        ...(askVerified ? [] : [`GO demoted: the quoted ask "${verdict.quotedAsk}" does not appear in the task text`]),
        ...blocking.map((finding) => `GO demoted by a blocking finding: ${formatFinding(finding)}`),
      ]
    : [`NO_GO: ${verdict.summary}`, ...verdict.findings.map(formatFinding)];
  const firstFile = blocking[0]?.file ?? verdict.findings[0]?.file ?? '';
  throw new ReviewRejected(
    {
      type: 'review',
      file: firstFile,
      evidence: problems[0] ?? verdict.summary,
      feedback: `Review rejected the change:\n- ${problems.join('\n- ')}`,
      keepTest: true,
    },
    { verdict: demoted ? 'DEMOTED' : 'NO_GO', askVerified },
  );
}

async function deliver(ctx: TaskContext, plan: Plan, changes: FileChange[], attempts: number) {
  const task = ctx.taskRun.spec;
  const describe = (role: ModelRole) => {
    const { model, backend } = ctx.models.describe(role);
    return `${role}=${model} (${backend})`;
  };
  const message = [
    `nightshift: ${task.id} ${task.title}`,
    '',
    plan.restatement,
    '',
    `Nightshift-Task: ${task.id}`,
    `Nightshift-Session: ${ctx.session.id}`,
    `Nightshift-Run: ${ctx.taskRun.id}`,
    `Nightshift-Attempts: ${attempts}`,
    `Nightshift-Tests: ${plan.testFile}`,
    `Nightshift-Models: ${describe('brain')}, ${describe('coder')}, ${describe('qa')}`,
    `Nightshift-Sandbox: ${ctx.sandbox.kind}${ctx.sandbox.isolated ? '' : ' (UNSANDBOXED)'}`,
    '',
  ].join('\n');
  const commit = await ctx.vcs.commit({
    repoDir: ctx.repoRoot,
    parentOid: ctx.headOid,
    changes,
    message,
    author: { name: 'Nightshift', email: 'nightshift@localhost', timestamp: Math.floor(ctx.clock.now() / 1000) },
  });
  await ctx.vcs.updateBranch({ repoDir: ctx.repoRoot, branch: ctx.session.branch, oid: commit, expectedOid: ctx.expectedBranchOid });
  ctx.store.updateSession(ctx.session.id, { headCommit: commit });
  return { value: commit, detail: `${ctx.session.branch} -> ${commit.slice(0, 12)}` };
}

async function callModel<T>(
  ctx: TaskContext,
  options: {
    role: ModelRole;
    promptId: string;
    phase: PhaseName;
    attempt: number;
    schema: z.ZodType<T>;
    values: Record<string, string | { text: string; trimmable: true; priority: number }>;
  },
): Promise<T> {
  const prompt = await ctx.prompts.render({
    id: options.promptId,
    values: options.values,
    schema: options.schema,
    budgetTokens: BUDGET_TOKENS[options.role],
  });
  const attemptRecord = ctx.store.listAttempts(ctx.taskRun.id).find((record) => record.number === options.attempt);
  const { model, backend } = ctx.models.describe(options.role);
  const started = ctx.clock.now();
  try {
    const result = await ctx.models.generate({
      role: options.role,
      promptId: prompt.promptId,
      system: prompt.system,
      user: prompt.user,
      schema: options.schema,
      meta: { taskId: ctx.taskRun.spec.id, phase: options.phase, attempt: options.attempt },
      onToken: (text) => ctx.emit({ type: 'model/token', at: ctx.clock.now(), taskRunId: ctx.taskRun.id, role: options.role, text }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    ctx.store.recordModelCall({
      attemptId: attemptRecord?.id ?? null,
      taskRunId: ctx.taskRun.id,
      role: options.role,
      promptId: prompt.promptId,
      model: result.model,
      backend: result.backend,
      promptTokens: result.usage.promptTokens,
      outputTokens: result.usage.outputTokens,
      durationMs: result.usage.durationMs,
      timeToFirstTokenMs: result.usage.timeToFirstTokenMs,
      error: null,
      at: started,
    });
    return result.value;
  } catch (error) {
    ctx.store.recordModelCall({
      attemptId: attemptRecord?.id ?? null,
      taskRunId: ctx.taskRun.id,
      role: options.role,
      promptId: prompt.promptId,
      model,
      backend,
      promptTokens: 0,
      outputTokens: 0,
      durationMs: ctx.clock.now() - started,
      timeToFirstTokenMs: null,
      error: describeError(error).slice(0, 2000),
      at: started,
    });
    if (error instanceof ModelOutputError) {
      throw new AttemptFailed({
        type: 'patch',
        file: '',
        evidence: `${options.promptId}: ${String(error.context.issues ?? error.message)}`,
        feedback: `Your ${options.phase} output was rejected before touching disk: ${error.message}. Reply with JSON matching the schema only.`,
        keepTest: options.phase !== 'red',
      });
    }
    throw error;
  }
}

function writeAudit(
  ctx: TaskContext,
  options: {
    outcome: TaskOutcome;
    decision: Decision | null;
    attempts: number;
    railsFired: Record<string, number>;
    review: { verdict: AuditRecord['reviewVerdict']; askVerified: boolean | null };
    changes: FileChange[];
    startedAt: number;
  },
): void {
  const describe = (role: ModelRole) => ctx.models.describe(role);
  ctx.store.writeAudit({
    taskRunId: ctx.taskRun.id,
    sessionId: ctx.session.id,
    taskId: ctx.taskRun.spec.id,
    title: ctx.taskRun.spec.title,
    project: ctx.repoRoot,
    branch: ctx.session.branch,
    models: { brain: describe('brain'), coder: describe('coder'), qa: describe('qa') },
    sandbox: { kind: ctx.sandbox.kind, isolated: ctx.sandbox.isolated },
    status: options.outcome.status,
    decision: options.decision,
    reason: options.outcome.reason,
    attempts: options.attempts,
    railsFired: options.railsFired,
    reviewVerdict: options.review.verdict,
    askVerified: options.review.askVerified,
    filesChanged: options.changes.map((change) => change.path),
    testsAdded: options.changes.filter((change) => change.before === null && ctx.stack.isTestFile(change.path)).map((change) => change.path),
    commit: options.outcome.commit,
    startedAt: options.startedAt,
    endedAt: ctx.clock.now(),
  });
}

function formatPlan(plan: Plan): string {
  return [
    `Restatement: ${plan.restatement}`,
    `Test file: ${plan.testFile}`,
    `Target files: ${plan.targetFiles.join(', ')}`,
    'Required imports:',
    ...plan.requiredImports.map((line) => `  ${line}`),
    'Definition of Done:',
    ...plan.definitionOfDone.map((item) => `  - ${item.description}: \`${item.command}\``),
  ].join('\n');
}

function formatFinding(finding: ReviewVerdict['findings'][number]): string {
  const where = finding.file ? ` (${finding.file}${finding.line ? `:${finding.line}` : ''})` : '';
  return `[${finding.severity}]${where} ${finding.message}`;
}

function unexpectedFailure(error: unknown): AttemptFailure {
  const message = describeError(error);
  return { type: 'environment', file: '', evidence: message, feedback: `The attempt stopped on an error: ${message}`, keepTest: true };
}

function describeError(error: unknown): string {
  if (error instanceof NightshiftError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw Object.assign(new Error('The session was stopped.'), { name: 'AbortError' });
}

function tail(text: string, max: number): string {
  return text.length > max ? `[... ${text.length - max} chars omitted ...]\n${text.slice(-max)}` : text;
}
