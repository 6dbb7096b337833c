import type { RailResult } from '../../shared/railResultSchema.js';
import type { FileChange } from '../ports/Vcs.js';
import { PathEscapeError } from '../workspace/PathEscapeError.js';
import { resolveWorkspacePath } from '../workspace/resolveWorkspacePath.js';

/** Rail `path-safety`: every changed path must resolve inside the workspace (see `resolveWorkspacePath`). */
export function checkPathSafety(options: {
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
}): RailResult {
  const refused: PathEscapeError[] = [];
  for (const change of options.changes) {
    try {
      resolveWorkspacePath({ root: options.workspaceDir, path: change.path });
    } catch (error) {
      if (!(error instanceof PathEscapeError)) throw error;
      refused.push(error);
    }
  }
  if (refused.length === 0) return { name: 'path-safety', passed: true, detail: `${options.changes.length} path(s) stay inside the workspace` };
  return {
    name: 'path-safety',
    passed: false,
    failureType: 'scope',
    file: refused[0]?.path,
    detail: refused.map((error) => `${JSON.stringify(error.path)} ${error.reason}`).join('\n'),
  };
}
