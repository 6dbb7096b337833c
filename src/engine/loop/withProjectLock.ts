import { dirname, join } from 'node:path';
import { acquireProjectLock } from '../lock/acquireProjectLock.js';
import type { ProjectLock } from '../lock/ProjectLock.js';
import type { Clock } from '../ports/Clock.js';
import type { Vcs } from '../ports/Vcs.js';

/**
 * Runs `body` holding the project's lock (one run per project), taken before anything is recorded and
 * released however `body` ends. A refused run throws `ProjectLockedError` having written nothing.
 */
export async function withProjectLock<T>(options: {
  vcs: Vcs;
  clock: Clock;
  /** Folder of project locks. Default: `locks` beside `workspacesDir`, both in the data directory. */
  locksDir: string | undefined;
  workspacesDir: string;
  /** The folder the user named; the lock is keyed by its repository's real root. */
  projectDir: string;
  /** What started the run, recorded in the lock. Default: this process's command line. */
  command: string | undefined;
  body: (lock: ProjectLock) => Promise<T>;
}): Promise<T> {
  const repo = await options.vcs.inspectRepo({ repoDir: options.projectDir });
  const lock = await acquireProjectLock({
    locksDir: options.locksDir ?? join(dirname(options.workspacesDir), 'locks'),
    projectPath: repo.root,
    command: options.command ?? process.argv.slice(1).join(' '),
    now: options.clock.now(),
  });
  try {
    return await options.body(lock);
  } finally {
    await lock.release();
  }
}
