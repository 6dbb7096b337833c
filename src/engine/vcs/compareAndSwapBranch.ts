import { dirname, join } from 'node:path';
import { BranchLockedError } from './BranchLockedError.js';
import { BranchMovedError } from './BranchMovedError.js';

/**
 * Moves `refs/heads/<branch>` to `oid` if it currently is `expectedOid`, using git's own lock protocol
 * (exclusive `<ref>.lock`, then rename) so a concurrent git CLI sees either the old or the new value and
 * never both writers win. The check runs while the lock is held.
 */
export async function compareAndSwapBranch(options: {
  /** Node's fs module (or a compatible one). */
  fs: typeof import('node:fs');
  /** The repository's common git directory (refs live there). */
  commonDir: string;
  /** Branch name without `refs/heads/`, already validated. */
  branch: string;
  /** New commit oid. */
  oid: string;
  /** Required current value; null means the branch must not exist. */
  expectedOid: string | null;
  /** Reads the branch's current oid (loose or packed), null when absent. */
  readCurrent: () => Promise<string | null>;
}): Promise<void> {
  const { fs, branch } = options;
  const refPath = join(options.commonDir, 'refs', 'heads', ...branch.split('/'));
  const lockPath = `${refPath}.lock`;
  await fs.promises.mkdir(dirname(refPath), { recursive: true });
  const lock = await fs.promises.open(lockPath, 'wx').catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? new BranchLockedError({ branch, lockPath, cause: error }) : error;
  });
  let renamed = false;
  try {
    const actual = await options.readCurrent();
    if (actual !== options.expectedOid) throw new BranchMovedError({ branch, expected: options.expectedOid, actual });
    await lock.writeFile(`${options.oid}\n`);
    await lock.sync();
    await lock.close();
    await fs.promises.rename(lockPath, refPath);
    renamed = true;
  } finally {
    if (!renamed) {
      await lock.close().catch(() => undefined);
      await fs.promises.rm(lockPath, { force: true });
    }
  }
}
