import { dirname, join } from 'node:path';
import { BranchLockedError } from './BranchLockedError.js';
import { BranchMovedError } from './BranchMovedError.js';
import { createRefLockIntent } from './createRefLockIntent.js';

/**
 * Moves `refs/heads/<branch>` to `oid` if it currently is `expectedOid`, using git's own lock protocol
 * (exclusive `<ref>.lock`, then rename) so a concurrent git CLI sees either the old or the new value and
 * never both writers win. The check runs while the lock is held. With `intentsDir`, a kill at any instant
 * leaves nothing that blocks the next delivery (`createRefLockIntent`).
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
  /**
   * Nightshift's folder for ref-lock intents (from `refIntentsDir`), outside the user's `.git`. With it, a
   * lock left by a Nightshift process killed mid-update is recognised and removed; without it, such a lock
   * is reported like any other.
   */
  intentsDir?: string;
}): Promise<void> {
  const { fs, branch } = options;
  const refPath = join(options.commonDir, 'refs', 'heads', ...branch.split('/'));
  const lockPath = `${refPath}.lock`;
  await fs.promises.mkdir(dirname(refPath), { recursive: true });
  const intent = options.intentsDir ? createRefLockIntent({ dir: options.intentsDir, lockPath }) : null;
  await intent?.recoverStale();
  await intent?.declare(options.oid);
  const lock = await fs.promises.open(lockPath, 'wx').catch(async (error: NodeJS.ErrnoException) => {
    await intent?.clear();
    throw error.code === 'EEXIST' ? new BranchLockedError({ branch, lockPath, cause: error }) : error;
  });
  let renamed = false;
  try {
    if (intent) await intent.identify(await lock.stat());
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
    await intent?.clear();
  }
}
