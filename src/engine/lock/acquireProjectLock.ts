import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../../node/isProcessAlive.js';
import type { LockOwner } from './lockOwnerSchema.js';
import { parseLockOwner } from './parseLockOwner.js';
import type { ProjectLock } from './ProjectLock.js';
import { ProjectLockedError } from './ProjectLockedError.js';
import { projectLockPath } from './projectLockPath.js';
import { readFileSnapshot } from './readFileSnapshot.js';
import { replaceStaleFile } from './replaceStaleFile.js';
import { writeFileAtomically } from './writeFileAtomically.js';

/** Looks at the lock this many times before giving up on a race that keeps changing it. */
const TRIES = 5;
/** Pause between looks, milliseconds: a racing takeover finishes within a few. */
const RETRY_MS = 50;

/**
 * Takes the project's lock for the whole of a session: one run per project. A lock held by a live process,
 * or taken on another machine, throws `ProjectLockedError` naming its holder. A lock whose process died on
 * this machine is taken over atomically (`replaceStaleFile`), and `tookOverFrom` says whose it was.
 */
export async function acquireProjectLock(options: {
  /** Folder of project locks (from `projectLocksDir`); created if missing. */
  locksDir: string;
  /** Real path of the project's repository root. */
  projectPath: string;
  /** What this process was started as, recorded for a refused run to show. */
  command: string;
  /** Now, epoch milliseconds. */
  now: number;
  /** Whether a process id on this machine is alive. Default: `isProcessAlive`. */
  isAlive?: (pid: number) => boolean;
  /** This machine's name. Default: `os.hostname()`. */
  host?: string;
  /** This process's id. Default: `process.pid`. */
  pid?: number;
}): Promise<ProjectLock> {
  const isAlive = options.isAlive ?? isProcessAlive;
  const path = projectLockPath(options);
  const owner: LockOwner = { pid: options.pid ?? process.pid, host: options.host ?? hostname(), startedAt: options.now, command: options.command };
  await mkdir(options.locksDir, { recursive: true });
  for (let attempt = 1; attempt <= TRIES; attempt += 1) {
    if (await writeFileAtomically({ path, content: JSON.stringify(owner), exclusive: true })) return heldLock(path, owner, null);
    const found = await readFileSnapshot(path);
    if (!found) continue;
    const holder = parseLockOwner(found.content);
    const foreignHost = holder !== null && holder.host !== owner.host;
    if (!holder || foreignHost || isAlive(holder.pid) || attempt === TRIES) {
      throw new ProjectLockedError({ projectPath: options.projectPath, lockPath: path, holder, foreignHost });
    }
    const replacement = JSON.stringify(owner);
    if (await replaceStaleFile({ path, stale: found, replacement, guardDir: options.locksDir, owner, isAlive })) return heldLock(path, owner, holder);
    await sleep(RETRY_MS);
  }
  const last = parseLockOwner((await readFileSnapshot(path))?.content ?? '');
  throw new ProjectLockedError({ projectPath: options.projectPath, lockPath: path, holder: last, foreignHost: last !== null && last.host !== owner.host });
}

function heldLock(path: string, owner: LockOwner, tookOverFrom: LockOwner | null): ProjectLock {
  const isMine = async () => {
    const current = parseLockOwner((await readFileSnapshot(path))?.content ?? '');
    return current !== null && current.pid === owner.pid && current.host === owner.host && current.startedAt === owner.startedAt;
  };
  return {
    path,
    owner,
    tookOverFrom,
    async setSession(sessionId) {
      owner.sessionId = sessionId;
      if (await isMine()) await writeFileAtomically({ path, content: JSON.stringify(owner) });
    },
    async release() {
      if (await isMine()) await rm(path, { force: true });
    },
  };
}
