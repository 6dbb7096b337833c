import type { TaskRunRecord } from '../ports/Store.js';

/** Why a task cannot start: the dependency that did not deliver, traced back to the task where it began. */
export interface FailedDependency {
  /** The task whose own run ended without delivering (failed, deadlocked, escalated, ...). */
  root: TaskRunRecord;
  /** The skipped tasks between this task and the root, nearest first; empty when the root is a direct dependency. */
  via: TaskRunRecord[];
  /** One line for the skip, e.g. "dependency T1 ended deadlocked (via T2)". */
  reason: string;
}

/**
 * The first dependency of `taskRun` that did not deliver, or null when every one did. A dependency that
 * was itself skipped is followed down to the task whose failure started the chain, so the reason names
 * the task to fix instead of "T2 ended skipped".
 */
export function findFailedDependency(options: {
  /** Every task run of the session. */
  all: TaskRunRecord[];
  /** The task about to start. */
  taskRun: TaskRunRecord;
}): FailedDependency | null {
  const byId = new Map(options.all.map((candidate) => [candidate.spec.id, candidate]));
  const blocked = (task: TaskRunRecord) =>
    task.spec.dependsOn
      .map((id) => byId.get(id))
      // A dependency skipped because an earlier session delivered it carries that commit: it delivered.
      .find((dependency): dependency is TaskRunRecord => dependency !== undefined && dependency.status !== 'done' && dependency.commit === null);
  const direct = blocked(options.taskRun);
  if (!direct) return null;
  const via: TaskRunRecord[] = [];
  const seen = new Set<string>([options.taskRun.spec.id]);
  let root = direct;
  while (root.status === 'skipped' && !seen.has(root.spec.id)) {
    seen.add(root.spec.id);
    const deeper = blocked(root);
    if (!deeper) break;
    via.push(root);
    root = deeper;
  }
  const path = via.length > 0 ? ` (via ${via.map((task) => task.spec.id).join(', ')})` : '';
  return { root, via, reason: `dependency ${root.spec.id} ended ${root.status}${path}` };
}
