import { createHash } from 'node:crypto';
import type { TaskSpec } from '../../shared/taskSpecSchema.js';

/**
 * A stable hash of what a task asks for (title, description, dependencies, target files), so a re-run
 * can tell the same task from an edited one with the same id.
 */
export function taskSpecDigest(spec: TaskSpec): string {
  const content = [spec.title, spec.description, [...spec.dependsOn].sort(), [...spec.targetFiles].sort()];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
