import type { LockOwner } from './lockOwnerSchema.js';

/** A held project lock (from `acquireProjectLock`). */
export interface ProjectLock {
  /** The lock file. */
  path: string;
  /** What the lock file says about this process. */
  owner: LockOwner;
  /** The dead process whose stale lock this one took over, or null when the lock was free. */
  tookOverFrom: LockOwner | null;
  /** Names the session in the lock file, so a refused run and `status` can say which one runs. */
  setSession(sessionId: string): Promise<void>;
  /** Removes the lock file if it is still this process's. */
  release(): Promise<void>;
}
