import type { SessionRecord, Store, TaskRunRecord } from '../ports/Store.js';

/**
 * Ends a task run as `skipped` without an attempt (a dependency that did not deliver, or a task an earlier
 * session already delivered) and writes its audit record, so the morning review and the audit export
 * list it with its reason like every other task.
 */
export function recordSkippedTask(options: {
  store: Store;
  session: SessionRecord;
  taskRun: TaskRunRecord;
  /** The project's root, for the audit record. */
  project: string;
  reason: string;
  /** The commit that delivered it earlier, when it was skipped for that reason; otherwise null. */
  commit: string | null;
  /** Now, epoch milliseconds. */
  now: number;
}): void {
  const { store, session, taskRun, reason, commit, now } = options;
  store.updateTaskRun(taskRun.id, { status: 'skipped', reason, commit, startedAt: now, endedAt: now });
  store.writeAudit({
    taskRunId: taskRun.id,
    sessionId: session.id,
    taskId: taskRun.spec.id,
    title: taskRun.spec.title,
    project: options.project,
    branch: session.branch,
    models: session.models,
    sandbox: { kind: session.sandbox, isolated: session.sandboxIsolated },
    status: 'skipped',
    decision: null,
    reason,
    attempts: 0,
    railsFired: {},
    reviewVerdict: null,
    askVerified: null,
    filesChanged: [],
    testsAdded: [],
    commit,
    startedAt: now,
    endedAt: now,
  });
}
