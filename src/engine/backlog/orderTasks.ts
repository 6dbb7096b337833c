import type { TaskSpec } from '../../shared/taskSpecSchema.js';
import { findDependencyCycle } from './findDependencyCycle.js';
import { TaskOrderError } from './TaskOrderError.js';

/**
 * Orders tasks so that each comes after its dependencies. Stable: at every step the earliest task (in the
 * given order) whose dependencies are all placed goes next, so a backlog without dependencies keeps its
 * order. Throws TaskOrderError for duplicate ids, dependencies outside the list, or a cycle.
 */
export function orderTasks(options: {
  /** Tasks in backlog order. */
  tasks: readonly TaskSpec[];
}): TaskSpec[] {
  const ids = new Set<string>();
  for (const task of options.tasks) {
    if (ids.has(task.id)) throw new TaskOrderError({ problem: `duplicate task id ${task.id}`, context: { taskId: task.id } });
    ids.add(task.id);
  }
  for (const task of options.tasks) {
    const unknown = task.dependsOn.find((dep) => !ids.has(dep));
    if (unknown !== undefined) {
      throw new TaskOrderError({
        problem: `task ${task.id} depends on ${unknown}, which is not in the list`,
        context: { taskId: task.id, dependency: unknown },
      });
    }
  }
  const cycle = findDependencyCycle({ tasks: options.tasks });
  if (cycle) throw new TaskOrderError({ problem: `dependency cycle ${cycle.join(' -> ')}`, context: { cycle } });

  const remaining = [...options.tasks];
  const placed = new Set<string>();
  const ordered: TaskSpec[] = [];
  while (remaining.length > 0) {
    // Without cycles or unknown ids some task is always ready.
    const index = remaining.findIndex((task) => task.dependsOn.every((dep) => placed.has(dep)));
    const [next] = remaining.splice(index, 1);
    ordered.push(next!);
    placed.add(next!.id);
  }
  return ordered;
}
