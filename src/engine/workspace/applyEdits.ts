import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { FileEdit } from '../../shared/fileEditSchema.js';
import type { FileChange } from '../ports/Vcs.js';
import { EditApplyError } from './EditApplyError.js';
import { describeSearchMiss } from './describeSearchMiss.js';
import { findPathConflicts } from './findPathConflicts.js';
import { resolveWorkspacePath } from './resolveWorkspacePath.js';
import { writeChanges } from './writeChanges.js';

interface PendingFile {
  path: string;
  absolute: string;
  before: string | null;
  current: string | null;
}

/**
 * Applies structured edits to the workspace all-or-nothing. Every path is validated and every new content
 * computed in memory first; only when all edits fit is anything written. Several edits to one file compose
 * in order. Returns one change per file whose content actually changed, in the order files were first
 * edited. Throws `PathEscapeError` for unsafe paths (including any symlink on the way) and `EditApplyError`
 * for edits that do not fit, among them a file under a file or where a folder is; if writing fails
 * part-way, every file is put back as it was before the error is thrown.
 */
export async function applyEdits(options: {
  /** Absolute path of the workspace root. */
  root: string;
  /** Edits in the order they apply. */
  edits: FileEdit[];
}): Promise<FileChange[]> {
  const root = resolve(options.root);
  const absolutes = options.edits.map((edit) => resolveWorkspacePath({ root, path: edit.path }));
  const files = new Map<string, PendingFile>();

  for (const [index, edit] of options.edits.entries()) {
    const absolute = absolutes[index] as string;
    let file = files.get(absolute);
    if (!file) {
      const path = relative(root, absolute).split(sep).join('/');
      const before = await readCurrent(absolute, path, index);
      file = { path, absolute, before, current: before };
      files.set(absolute, file);
    }
    file.current = nextContent(file, edit, index);
  }

  const changed = [...files.values()]
    .filter((file) => file.current !== file.before)
    .map((file) => ({ path: file.path, before: file.before, after: file.current }));
  const conflict = findPathConflicts({ root, changes: changed })[0];
  if (conflict) throw new EditApplyError({ path: conflict.path, editIndex: null, failureType: 'localization', reason: conflict.reason });
  try {
    await writeChanges({ root, changes: changed, side: 'after' });
  } catch (error) {
    // File by file and removals first, so one path that cannot be undone does not keep the others from it.
    const undo = [...changed].sort((a, b) => Number(a.before !== null) - Number(b.before !== null));
    for (const change of undo) await writeChanges({ root, changes: [change], side: 'before' }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const failedAt = (error as NodeJS.ErrnoException).path;
    throw new EditApplyError({
      path: failedAt === undefined ? '' : relative(root, failedAt).split(sep).join('/'),
      editIndex: null,
      // These mean the edits disagree with the tree (a file where a folder must be), not a failing disk.
      failureType: code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR' ? 'localization' : 'environment',
      reason: `writing failed (${(error as Error).message}); the edits were rolled back`,
      cause: error,
    });
  }
  return changed;
}

async function readCurrent(absolute: string, path: string, editIndex: number): Promise<string | null> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file, so this one does not exist; whether it may be created is decided later.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new EditApplyError({
      path,
      editIndex,
      failureType: code === 'EISDIR' ? 'localization' : 'environment',
      reason: code === 'EISDIR' ? 'the path is a directory' : `the file cannot be read (${code ?? String(error)})`,
      cause: error,
    });
  }
}

function nextContent(file: PendingFile, edit: FileEdit, editIndex: number): string | null {
  const fail = (reason: string) => new EditApplyError({ path: file.path, editIndex, failureType: 'localization', reason });
  switch (edit.kind) {
    case 'write':
      return edit.content;
    case 'delete':
      if (file.current === null) throw fail('the file does not exist, so it cannot be deleted');
      return null;
    case 'replace': {
      if (file.current === null) throw fail('the file does not exist; use a write edit to create it');
      const first = file.current.indexOf(edit.search);
      if (first === -1) throw fail(describeSearchMiss({ content: file.current, search: edit.search }));
      const second = file.current.indexOf(edit.search, first + 1);
      if (second !== -1) {
        const lines = occurrenceLines(file.current, edit.search);
        throw fail(`the search text occurs ${lines.length} times (at lines ${lines.join(', ')}); include more surrounding lines so it occurs once`);
      }
      return file.current.slice(0, first) + edit.replace + file.current.slice(first + edit.search.length);
    }
  }
}

function occurrenceLines(content: string, search: string): number[] {
  const lines: number[] = [];
  for (let at = content.indexOf(search); at !== -1; at = content.indexOf(search, at + 1)) {
    lines.push(content.slice(0, at).split('\n').length);
  }
  return lines;
}
