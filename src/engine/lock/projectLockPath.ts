import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The lock file of one project: named by a hash of its real path, so any path spelling maps to one file. */
export function projectLockPath(options: {
  /** Folder of project locks (from `projectLocksDir`). */
  locksDir: string;
  /** Real path of the project's repository root. */
  projectPath: string;
}): string {
  return join(options.locksDir, `${createHash('sha256').update(options.projectPath).digest('hex').slice(0, 32)}.lock`);
}
