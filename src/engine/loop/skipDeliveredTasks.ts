import type { SessionRecord, Store, TaskRunRecord } from '../ports/Store.js';
import type { DeliveredTask } from './DeliveredTask.js';

/**
 * Records the task runs of a new session that earlier sessions already delivered as `skipped`, with where
 * they were delivered as the reason and their earlier commit (so a dependent task counts them as
 * delivered), and writes their audit records. Call inside the transaction that creates the session.
 */
export function skipDeliveredTasks(options: {
  store: Store;
  session: SessionRecord;
  taskRuns: TaskRunRecord[];
  delivered: DeliveredTask[];
  /** The project's root, for the audit record. */
  project: string;
  /** Now, epoch milliseconds. */
  now: number;
}): void {
  const { store, session, now } = options;
  for (const taskRun of options.taskRuns) {
    const earlier = options.delivered.find((task) => task.taskId === taskRun.spec.id);
    if (!earlier) continue;
    const reason = `already delivered on ${earlier.branch} at ${earlier.commit.slice(0, 12)} by session ${earlier.sessionId} (--again runs it anyway)`;
    store.updateTaskRun(taskRun.id, { status: 'skipped', reason, commit: earlier.commit, startedAt: now, endedAt: now });
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
      commit: earlier.commit,
      startedAt: now,
      endedAt: now,
    });
  }
}
