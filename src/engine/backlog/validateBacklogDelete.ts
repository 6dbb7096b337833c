import type { TaskSpec } from '../../shared/taskSpecSchema.js';
import { BacklogTaskInvalidError } from './BacklogTaskInvalidError.js';

/**
 * Checks that a task can leave the backlog: deleting one that other tasks depend on would leave them
 * pointing at nothing, so it is refused (field `id`) until those dependencies are edited.
 */
export function validateBacklogDelete(options: {
  /** The backlog as stored. */
  backlog: readonly TaskSpec[];
  /** Id of the task to delete. */
  taskId: string;
}): void {
  const dependents = options.backlog.filter((task) => task.dependsOn.includes(options.taskId)).map((task) => task.id);
  if (dependents.length > 0) {
    throw new BacklogTaskInvalidError({
      taskId: options.taskId,
      field: 'id',
      reason: `${dependents.join(', ')} still depend${dependents.length === 1 ? 's' : ''} on it`,
    });
  }
}
