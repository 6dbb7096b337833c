import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPathInside } from '../../shared/isPathInside.js';
import { SandboxPolicyError } from './SandboxPolicyError.js';

/**
 * The real workspace and working directory of one native run, or SandboxPolicyError when the workspace is not
 * inside the sandbox's root or the working directory leaves the workspace. Symlinks are resolved first, so a
 * link cannot carry a run outside.
 */
export function resolveRunDirs(options: {
  /** The sandbox's root, as given when it was made. */
  root: string;
  /** SandboxRunOptions.workspaceDir. */
  workspaceDir: string;
  /** SandboxRunOptions.cwd, relative to the workspace. Default `.`. */
  cwd?: string;
}): { workspaceDir: string; cwd: string } {
  const workspaceDir = realpathSync(options.workspaceDir);
  if (!isPathInside({ path: workspaceDir, dir: realpathSync(options.root) })) {
    throw new SandboxPolicyError({ path: workspaceDir, reason: `it is outside the sandbox's workspace ${options.root}` });
  }
  const cwd = resolve(workspaceDir, options.cwd ?? '.');
  if (!isPathInside({ path: cwd, dir: workspaceDir })) throw new SandboxPolicyError({ path: cwd, reason: 'the working directory is outside the workspace' });
  return { workspaceDir, cwd };
}
