import { hostname } from 'node:os';
import { isProcessAlive } from '../../node/isProcessAlive.js';
import type { LockOwner } from './lockOwnerSchema.js';
import { parseLockOwner } from './parseLockOwner.js';
import { projectLockPath } from './projectLockPath.js';
import { readFileSnapshot } from './readFileSnapshot.js';

/**
 * The state of a project's lock, read without changing anything (status works on a read-only data
 * directory): `absent`; `held` by a live process on this machine; `stale` (its process on this machine is
 * dead); `foreign` (taken on another machine, whose pids cannot be checked); `unreadable` (not Nightshift's
 * JSON, or not readable by this user).
 */
export type ProjectLockState =
  | { state: 'absent' }
  | { state: 'unreadable' }
  | { state: 'held' | 'stale' | 'foreign'; owner: LockOwner };

/** Reads a project's lock and judges whether its holder is alive. */
export async function readProjectLock(options: {
  /** Folder of project locks (from `projectLocksDir`). */
  locksDir: string;
  /** Real path of the project's repository root. */
  projectPath: string;
  /** Whether a process id on this machine is alive. Default: `isProcessAlive`. */
  isAlive?: (pid: number) => boolean;
  /** This machine's name. Default: `os.hostname()`. */
  host?: string;
}): Promise<ProjectLockState> {
  const found = await readFileSnapshot(projectLockPath(options)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EACCES') return 'unreadable' as const;
    throw error;
  });
  if (found === 'unreadable') return { state: 'unreadable' };
  if (!found) return { state: 'absent' };
  const owner = parseLockOwner(found.content);
  if (!owner) return { state: 'unreadable' };
  if (owner.host !== (options.host ?? hostname())) return { state: 'foreign', owner };
  return { state: (options.isAlive ?? isProcessAlive)(owner.pid) ? 'held' : 'stale', owner };
}
