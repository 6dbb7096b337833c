import { lstatSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPathInside } from '../../shared/isPathInside.js';
import { PathEscapeError } from './PathEscapeError.js';

/**
 * Resolves a proposed relative path to an absolute path inside the workspace, or throws `PathEscapeError`.
 * Refuses empty, absolute (POSIX, drive letter, UNC) and backslashed paths, NUL bytes, `..` and `.git`
 * segments, and any path whose file or parent folder below the root is a symlink, wherever it points: a
 * read or write through a link touches another file than the one git would commit at that path. The
 * file itself need not exist; the root may be reached through symlinks.
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

  try {
    realpathSync(root);
  } catch {
    throw refuse(`the workspace root ${root} cannot be resolved`);
  }
  for (let depth = 1; depth <= segments.length; depth++) {
    const current = join(root, ...segments.slice(0, depth));
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Nothing exists from here down (or a file stands where a folder is, which the caller reports).
      if (code === 'ENOENT' || code === 'ENOTDIR') break;
      throw refuse(`cannot be inspected (${code ?? 'unknown error'})`);
    }
    if (!isLink) continue;
    if (depth === segments.length) throw refuse('is a symlink; only regular files can be read or changed');
    throw refuse(`passes through the symlink ${JSON.stringify(segments.slice(0, depth).join('/'))}; edits never follow symlinks`);
  }
  const resolved = join(root, ...segments);
  // The segment checks above already refuse every escape; the one containment rule of the sandboxes confirms it.
  if (!isPathInside({ path: resolved, dir: root })) throw refuse('resolves outside the workspace');
  return resolved;
}

function isGitSegment(segment: string): boolean {
  // Case-insensitive file systems (macOS, Windows) treat `.GIT` as `.git`.
  return segment.toLowerCase() === '.git';
}
