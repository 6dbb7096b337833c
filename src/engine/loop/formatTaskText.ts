import type { TaskSpec } from '../../shared/taskSpecSchema.js';

/** The task as the models and the reviewer's quote check see it. */
export function formatTaskText(options: { task: TaskSpec }): string {
  const { task } = options;
  const lines = [`${task.id}: ${task.title}`];
  if (task.description.trim()) lines.push('', task.description.trim());
  if (task.targetFiles.length > 0) lines.push('', `Files: ${task.targetFiles.join(', ')}`);
  return lines.join('\n');
}
