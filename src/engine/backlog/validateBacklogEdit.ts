import { taskSpecSchema, type TaskSpec } from '../../shared/taskSpecSchema.js';
import { BacklogTaskInvalidError } from './BacklogTaskInvalidError.js';
import { findDependencyCycle } from './findDependencyCycle.js';

/**
 * Checks one added or edited task against the backlog it goes into and returns the backlog with the edit
 * applied, in order (an edited task keeps its place, a new one goes last). Throws BacklogTaskInvalidError
 * naming the field for an empty title, a malformed or duplicate id, a renamed id other tasks still depend
 * on, a dependency on a task not in the backlog, and a dependency cycle.
 */
export function validateBacklogEdit(options: {
  /** The backlog as stored, in order. */
  backlog: readonly TaskSpec[];
  /** The task as the user left it. */
  task: TaskSpec;
  /** The id the task had before the edit; absent when the task is new. */
  previousId?: string;
}): TaskSpec[] {
  const { backlog, task, previousId } = options;
  const refuse = (field: 'id' | 'title' | 'dependsOn', reason: string): never => {
    throw new BacklogTaskInvalidError({ taskId: task.id, field, reason });
  };

  if (task.title.trim() === '') refuse('title', 'the title is empty');
  const id = taskSpecSchema.shape.id.safeParse(task.id);
  if (!id.success) refuse('id', task.id === '' ? 'the id is empty' : (id.error.issues[0]?.message ?? 'the id is malformed'));

  const index = previousId === undefined ? -1 : backlog.findIndex((other) => other.id === previousId);
  if (previousId !== undefined && index === -1) refuse('id', `there is no task ${previousId} to edit any more`);
  if (task.id !== previousId && backlog.some((other) => other.id === task.id)) {
    refuse('id', `another task already has the id ${task.id}`);
  }

  const next = index === -1 ? [...backlog, task] : backlog.map((other, at) => (at === index ? task : other));
  if (previousId !== undefined && previousId !== task.id) {
    const dependents = next.filter((other) => other.dependsOn.includes(previousId)).map((other) => other.id);
    if (dependents.length > 0) refuse('id', `${dependents.join(', ')} still depend${dependents.length === 1 ? 's' : ''} on ${previousId}`);
  }

  const ids = new Set(next.map((other) => other.id));
  const unknown = task.dependsOn.filter((dependency) => !ids.has(dependency));
  if (unknown.length > 0) {
    refuse('dependsOn', `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a task of this backlog`);
  }
  const cycle = findDependencyCycle({ tasks: next });
  if (cycle) refuse('dependsOn', `the dependencies form a cycle: ${cycle.join(' → ')}`);
  return next;
}
