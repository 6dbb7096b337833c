import type { RailResult } from '../../shared/railResultSchema.js';
import type { FileChange } from '../ports/Vcs.js';
import { findPathConflicts } from '../workspace/findPathConflicts.js';
import { PathEscapeError } from '../workspace/PathEscapeError.js';
import { resolveWorkspacePath } from '../workspace/resolveWorkspacePath.js';

/**
 * Rail `path-safety`: the tree the rails judge must be the tree that gets committed. Every changed path
 * must resolve inside the workspace without passing through a symlink (see `resolveWorkspacePath`), be a
 * regular text file (a change marked `refused`, such as a symlink, gitlink, mode change or binary, fails),
 * and not put a file under a file or where a folder is (see `findPathConflicts`). Each refusal names the
 * path and what it is.
 */
export function checkPathSafety(options: {
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
}): RailResult {
  const refused: Array<{ path: string; reason: string }> = [];
  const resolved: FileChange[] = [];
  for (const change of options.changes) {
    if (change.refused !== undefined) {
      refused.push({ path: change.path, reason: `is ${change.refused}; only regular text files (modes 100644/100755) may change` });
      continue;
    }
    try {
      resolveWorkspacePath({ root: options.workspaceDir, path: change.path });
      resolved.push(change);
    } catch (error) {
      if (!(error instanceof PathEscapeError)) throw error;
      refused.push({ path: error.path, reason: error.reason });
    }
  }
  refused.push(...findPathConflicts({ root: options.workspaceDir, changes: resolved }));
  if (refused.length === 0) {
    return { name: 'path-safety', passed: true, detail: `${options.changes.length} path(s) are regular files inside the workspace` };
  }
  return {
    name: 'path-safety',
    passed: false,
    failureType: 'scope',
    file: refused[0]?.path,
    detail: refused.map(({ path, reason }) => `${JSON.stringify(path)} ${reason}`).join('\n'),
  };
}
