import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PathEscapeError } from './PathEscapeError.js';

/** Symlink chains longer than this are refused, as the kernel would (ELOOP). */
const MAX_LINK_HOPS = 40;

/**
 * Resolves a proposed relative path to an absolute path inside the workspace, or throws `PathEscapeError`.
 * Refuses empty, absolute (POSIX, drive letter, UNC) and backslashed paths, NUL bytes, `..` and `.git`
 * segments, and paths that reach outside the workspace (or into its `.git`) through symlinks, including
 * dangling ones, which a write would follow. The file itself need not exist.
 */
export function resolveWorkspacePath(options: {
  /** Absolute (or cwd-relative) path of the workspace root; must exist. */
  root: string;
  /** Proposed path relative to the root, with forward slashes. */
  path: string;
}): string {
  const root = resolve(options.root);
  const refuse = (reason: string) => new PathEscapeError({ path: options.path, root, reason });
  const path = options.path;
  if (path.length === 0) throw refuse('is empty');
  if (path.includes('\0')) throw refuse('contains a NUL byte');
  if (path.includes('\\')) throw refuse('contains a backslash (use forward slashes)');
  if (path.startsWith('/')) throw refuse('is absolute');
  if (/^[A-Za-z]:/.test(path)) throw refuse('is an absolute Windows path');
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) throw refuse('names the workspace root, not a file');
  if (segments.includes('..')) throw refuse('contains a ".." segment');
  if (segments.some(isGitSegment)) throw refuse('touches .git');

  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    throw refuse(`the workspace root ${root} cannot be resolved`);
  }
  const target = join(root, ...segments);
  checkRealLocation(target, realRoot, refuse, 0);
  return target;
}

function isGitSegment(segment: string): boolean {
  // Case-insensitive file systems (macOS, Windows) treat `.GIT` as `.git`.
  return segment.toLowerCase() === '.git';
}

/** Checks where `target` really lands: the real path of its deepest existing ancestor must stay inside. */
function checkRealLocation(
  target: string,
  realRoot: string,
  refuse: (reason: string) => PathEscapeError,
  hops: number,
): void {
  if (hops > MAX_LINK_HOPS) throw refuse('follows too many symlinks');
  let current = target;
  for (;;) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw refuse(`cannot be inspected (${code ?? 'unknown error'})`);
      const parent = dirname(current);
      if (parent === current) throw refuse('has no existing ancestor');
      current = parent;
      continue;
    }
    let real: string;
    try {
      real = realpathSync(current);
    } catch {
      if (!isLink) throw refuse(`${current} cannot be resolved`);
      // A dangling symlink: a write would create its target, so the target is what must stay inside.
      const linkTarget = resolve(realpathSync(dirname(current)), readlinkSync(current));
      checkRealLocation(linkTarget, realRoot, refuse, hops + 1);
      return;
    }
    if (!isInside(real, realRoot)) throw refuse(`resolves through a symlink to ${real}, outside the workspace`);
    if (relative(realRoot, real).split(sep).some(isGitSegment)) throw refuse('resolves through a symlink into .git');
    return;
  }
}

function isInside(child: string, parent: string): boolean {
  if (child === parent) return true;
  return child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}
