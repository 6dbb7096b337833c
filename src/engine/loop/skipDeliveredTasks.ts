import type { SessionRecord, Store, TaskRunRecord } from '../ports/Store.js';
import type { DeliveredTask } from './DeliveredTask.js';
import { recordSkippedTask } from './recordSkippedTask.js';

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
    recordSkippedTask({ store, session, taskRun, project: options.project, reason, commit: earlier.commit, now });
  }
}
