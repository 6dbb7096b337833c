import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * A path a test runner reported, made workspace-relative. Runners report absolute paths as the sandbox sees
 * them (`/workspace/tests/a.py` in Docker, the host path natively), so the shortest leading part is dropped
 * that leaves a path existing in the workspace. A relative path is kept; an absolute one that matches
 * nothing is returned as it was.
 */
export function toWorkspacePath(options: {
  /** The path from the report, absolute or relative, possibly `file://`. */
  reported: string;
  /** Absolute path of the workspace root on this machine. */
  workspaceDir: string;
}): string {
  const reported = options.reported.replace(/^file:\/\//, '').replace(/\\/g, '/');
  if (!isAbsolute(reported)) return reported.replace(/^\.\//, '');
  const root = options.workspaceDir.replace(/\/+$/, '');
  if (reported.startsWith(`${root}/`)) return reported.slice(root.length + 1);
  const segments = reported.split('/').filter((segment) => segment !== '');
  for (let drop = 1; drop < segments.length; drop += 1) {
    const candidate = segments.slice(drop).join('/');
    if (existsSync(join(root, candidate))) return candidate;
  }
  return reported;
}
