import { resolve } from 'node:path';
import { SandboxPolicyError } from './SandboxPolicyError.js';
import { isPathInside } from '../../shared/isPathInside.js';

/**
 * Returns `path` resolved, or throws SandboxPolicyError when a sandbox must not expose it: the file-system
 * root, or the user's home or a directory holding it (which would show all of the home).
 */
export function assertExposable(options: {
  /** The directory to expose. */
  path: string;
  /** The user's home directory. */
  home: string;
}): string {
  const path = resolve(options.path);
  if (path === '/') throw new SandboxPolicyError({ path, reason: 'it is the file-system root' });
  if (isPathInside({ path: resolve(options.home), dir: path })) throw new SandboxPolicyError({ path, reason: `it holds the home directory ${options.home}` });
  return path;
}
