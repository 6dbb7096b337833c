import type { TaskSpec } from '../../shared/taskSpecSchema.js';
import type { Store } from '../ports/Store.js';
import type { DeliveredTask } from './DeliveredTask.js';
import { taskSpecDigest } from './taskSpecDigest.js';

/**
 * The tasks of `specs` that earlier sessions of the project delivered with the same id and the same
 * content (`taskSpecDigest`), each with its newest delivery, in backlog order.
 */
export function findDeliveredTasks(options: { store: Store; projectId: number; specs: TaskSpec[] }): DeliveredTask[] {
  const newest = new Map<string, DeliveredTask>();
  // Sessions come newest first, so the first delivery seen of a task is its latest.
  for (const session of options.store.listSessions({ projectId: options.projectId })) {
    for (const run of options.store.listTaskRuns(session.id)) {
      if (run.status !== 'done' || run.commit === null) continue;
      const key = `${run.spec.id}\u0000${taskSpecDigest(run.spec)}`;
      if (!newest.has(key)) newest.set(key, { taskId: run.spec.id, title: run.spec.title, sessionId: session.id, branch: session.branch, commit: run.commit });
    }
  }
  return options.specs.flatMap((spec) => newest.get(`${spec.id}\u0000${taskSpecDigest(spec)}`) ?? []);
}
