import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FileChange } from '../ports/Vcs.js';

/** A change that would put a file under a file, or a file where a folder is. */
export interface PathConflict {
  /** The change's path, as given. */
  path: string;
  /** Why the file cannot be there, e.g. `is under "calc.py", which is a file`. */
  reason: string;
}

/**
 * Finds file/folder conflicts between a change set and the workspace: a written file whose parent is a
 * file (on disk and not deleted by the same change set, or written by it), or whose own path is a folder.
 * A file deleted by the change set may become a folder in it. Paths must already have passed
 * `resolveWorkspacePath`, so nothing here follows a symlink. Works before and after the changes are on disk.
 */
export function findPathConflicts(options: {
  /** Absolute path of the workspace root. */
  root: string;
  /** The change set; deletions free their paths for folders. */
  changes: FileChange[];
}): PathConflict[] {
  const root = resolve(options.root);
  const segmentsOf = (path: string) => path.split('/').filter((segment) => segment !== '' && segment !== '.');
  const written = new Set<string>();
  const deleted = new Set<string>();
  for (const change of options.changes) (change.after === null ? deleted : written).add(segmentsOf(change.path).join('/'));

  const conflicts: PathConflict[] = [];
  for (const change of options.changes) {
    if (change.after === null) continue;
    const segments = segmentsOf(change.path);
    const reason = parentConflict(root, segments, written, deleted) ?? (kindOf(join(root, ...segments)) === 'folder' ? 'is a folder; a file cannot take its place' : null);
    if (reason !== null) conflicts.push({ path: change.path, reason });
  }
  return conflicts;
}

function parentConflict(root: string, segments: string[], written: Set<string>, deleted: Set<string>): string | null {
  for (let depth = 1; depth < segments.length; depth++) {
    const parent = segments.slice(0, depth).join('/');
    if (written.has(parent)) return `is under ${JSON.stringify(parent)}, which the same change writes as a file`;
    if (deleted.has(parent)) return null;
    const kind = kindOf(join(root, parent));
    if (kind === 'absent') return null;
    if (kind === 'file') return `is under ${JSON.stringify(parent)}, which is a file`;
  }
  return null;
}

function kindOf(absolute: string): 'absent' | 'folder' | 'file' {
  try {
    return lstatSync(absolute).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'absent';
  }
}
