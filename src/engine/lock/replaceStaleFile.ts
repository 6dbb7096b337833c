import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileSnapshot } from './FileSnapshot.js';
import type { LockOwner } from './lockOwnerSchema.js';
import { parseLockOwner } from './parseLockOwner.js';
import { readFileSnapshot } from './readFileSnapshot.js';
import { writeFileAtomically } from './writeFileAtomically.js';

/**
 * Replaces (or removes) the file at `path` only if it is still exactly the stale file the caller found, and
 * only in one of any number of processes racing to do the same: each must first create a guard named after
 * the stale file's identity, exclusively, and re-check under it. The guard outlives a process killed while
 * holding it only as another stale file, which the next caller takes over the same way. Returns whether
 * this caller replaced it; false means another process got there first (or the file changed), so the
 * caller should look again.
 */
export async function replaceStaleFile(options: {
  /** The file to replace. */
  path: string;
  /** What the caller read at `path` and judged stale. */
  stale: FileSnapshot;
  /** New content, or null to remove the file. */
  replacement: string | null;
  /** Nightshift's own folder for guard files: never the user's repository. */
  guardDir: string;
  /** The caller, written into the guard. */
  owner: LockOwner;
  /** Whether a process id on `owner.host` is alive. */
  isAlive: (pid: number) => boolean;
}): Promise<boolean> {
  const { stale } = options;
  const pathKey = createHash('sha256').update(options.path).digest('hex').slice(0, 24);
  const guardPath = join(options.guardDir, `${pathKey}-${stale.dev}-${stale.ino}.takeover`);
  const guardContent = JSON.stringify(options.owner);
  if (!(await writeFileAtomically({ path: guardPath, content: guardContent, exclusive: true }))) {
    const guard = await readFileSnapshot(guardPath);
    if (!guard) return false;
    const holder = parseLockOwner(guard.content);
    if (!holder || holder.host !== options.owner.host || options.isAlive(holder.pid)) return false;
    if (!(await replaceStaleFile({ ...options, path: guardPath, stale: guard, replacement: guardContent }))) return false;
  }
  try {
    const current = await readFileSnapshot(options.path);
    if (!current || current.dev !== stale.dev || current.ino !== stale.ino || current.content !== stale.content) return false;
    if (options.replacement === null) await rm(options.path);
    else await writeFileAtomically({ path: options.path, content: options.replacement });
    return true;
  } finally {
    await rm(guardPath, { force: true });
  }
}
