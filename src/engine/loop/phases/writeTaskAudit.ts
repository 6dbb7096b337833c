import type { Decision } from '../../../shared/decision.js';
import type { ModelRole } from '../../../shared/modelRole.js';
import type { FileChange } from '../../ports/Vcs.js';
import type { ReviewAudit } from './ReviewAudit.js';
import type { TaskContext } from './TaskContext.js';
import type { TaskOutcome } from './TaskOutcome.js';

/** The task run's one audit record: how it ended, with what, after how many attempts. */
export function writeTaskAudit(options: {
  ctx: TaskContext;
  outcome: TaskOutcome;
  /** The last attempt's decision; null when no attempt ran. */
  decision: Decision | null;
  attempts: number;
  railsFired: Record<string, number>;
  review: ReviewAudit;
  /** The delivered change; empty when nothing was delivered. */
  changes: FileChange[];
  /** When the task started, epoch milliseconds. */
  startedAt: number;
}): void {
  const { ctx } = options;
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
