import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FileChange } from '../ports/Vcs.js';
import { PathEscapeError } from './PathEscapeError.js';
import { resolveWorkspacePath } from './resolveWorkspacePath.js';

/**
 * Puts one side of a change set on disk: `before` reverts the changes, `after` restores them. A null side
 * removes the file, and directories left empty by that are removed too, so a reverted new module does not
 * linger as an empty package. Removals go first, so a file may turn into a folder (or back) in one change
 * set. Paths are validated like edits (`PathEscapeError`), and a change marked `refused` (a symlink, a
 * binary) is never written: that is a `PathEscapeError` too.
 */
export async function writeChanges(options: {
  /** Absolute path of the workspace root. */
  root: string;
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Which content to write: `before` (revert) or `after` (restore). */
  side: 'before' | 'after';
}): Promise<void> {
  const root = resolve(options.root);
  const targets = options.changes.map((change) => {
    if (change.refused !== undefined) throw new PathEscapeError({ path: change.path, root, reason: `is ${change.refused}, which is never written` });
    return { absolute: resolveWorkspacePath({ root, path: change.path }), content: change[options.side] };
  });
  for (const { absolute, content } of targets) {
    if (content !== null) continue;
    await rm(absolute, { force: true });
    await removeEmptyParents(dirname(absolute), root);
  }
  for (const { absolute, content } of targets) {
    if (content === null) continue;
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

async function removeEmptyParents(dir: string, root: string): Promise<void> {
  for (let current = dir; current !== root && current.startsWith(root); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}
