import type { DeliveredTask } from './DeliveredTask.js';

/** One line per delivered task: which task, on which branch, at which commit, by which session. */
export function describeDelivered(delivered: DeliveredTask[]): string {
  return delivered.map((task) => `${task.taskId} (${task.title}) on ${task.branch} at ${task.commit.slice(0, 12)}, session ${task.sessionId}`).join('; ');
}
