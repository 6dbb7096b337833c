import { applyPatch, parsePatch } from 'diff';
import type { FileChange } from '../ports/Vcs.js';
import { PatchParseError } from './PatchParseError.js';

type StructuredPatch = ReturnType<typeof parsePatch>[number];

const DEV_NULL = '/dev/null';

/**
 * Turns a unified diff (plain or git-flavoured) into before/after contents, reading the current files
 * through `readBefore`. Handles new files, deletions, `a/`/`b/` prefixes, copies, and renames (as a deletion
 * plus an addition); several sections for one file compose. Paths are returned as the patch names them,
 * unvalidated, so that unsafe paths reach the path-safety rail and are reported there. Throws
 * `PatchParseError` for malformed patches, binary sections, and hunks that do not apply.
 */
export async function changesFromUnifiedDiff(options: {
  /** The unified diff text. */
  patch: string;
  /** Current content of a file, or null when it does not exist. Called at most once per path. */
  readBefore: (path: string) => Promise<string | null>;
}): Promise<FileChange[]> {
  let sections: StructuredPatch[];
  try {
    sections = parsePatch(options.patch);
  } catch (error) {
    throw new PatchParseError({ reason: (error as Error).message, cause: error });
  }
  sections = sections.filter((section) => section.hunks.length > 0 || section.oldFileName !== undefined || section.newFileName !== undefined);
  if (sections.length === 0) throw new PatchParseError({ reason: 'it contains no file sections (expected "--- a/path" and "+++ b/path" headers)' });

  const files = new Map<string, { before: string | null; current: string | null }>();
  const order: string[] = [];
  const load = async (path: string) => {
    let file = files.get(path);
    if (!file) {
      const before = await options.readBefore(path);
      file = { before, current: before };
      files.set(path, file);
      order.push(path);
    }
    return file;
  };

  for (const section of sections) {
    const { oldPath, newPath } = sectionPaths(section);
    if (section.isBinary) throw new PatchParseError({ path: newPath ?? oldPath ?? undefined, reason: 'binary changes cannot be applied from a text patch' });
    if (oldPath === null && newPath === null) throw new PatchParseError({ reason: 'a section names neither an old nor a new file' });

    if (oldPath === null || section.isCreate) {
      const path = (newPath ?? oldPath) as string;
      const file = await load(path);
      if (file.current !== null) throw new PatchParseError({ path, reason: 'the patch creates a file that already exists' });
      file.current = apply(path, '', section);
      continue;
    }
    const source = await load(oldPath);
    if (source.current === null) throw new PatchParseError({ path: oldPath, reason: 'the file does not exist' });
    const patched = apply(oldPath, source.current, section);

    if (newPath === null || section.isDelete) {
      if (patched !== '') throw new PatchParseError({ path: oldPath, reason: 'the deletion does not match the whole current file' });
      source.current = null;
    } else if (newPath === oldPath) {
      source.current = patched;
    } else {
      const target = await load(newPath);
      if (target.current !== null) throw new PatchParseError({ path: newPath, reason: 'the rename or copy target already exists' });
      target.current = patched;
      if (!section.isCopy) source.current = null;
    }
  }

  return order
    .map((path) => ({ path, ...(files.get(path) as { before: string | null; current: string | null }) }))
    .filter((file) => file.current !== file.before)
    .map((file) => ({ path: file.path, before: file.before, after: file.current }));
}

function sectionPaths(section: StructuredPatch): { oldPath: string | null; newPath: string | null } {
  const oldName = cleanName(section.oldFileName);
  const newName = cleanName(section.newFileName);
  const prefixed =
    section.isGit === true ||
    ((oldName === null || oldName.startsWith('a/')) && (newName === null || newName.startsWith('b/')) && (oldName ?? newName) !== null);
  const strip = (name: string | null, prefix: string) => (name !== null && prefixed && name.startsWith(prefix) ? name.slice(prefix.length) : name);
  return { oldPath: strip(oldName, 'a/'), newPath: strip(newName, 'b/') };
}

function cleanName(name: string | undefined): string | null {
  if (name === undefined) return null;
  const trimmed = name.trim();
  return trimmed === '' || trimmed === DEV_NULL ? null : trimmed;
}

function apply(path: string, source: string, section: StructuredPatch): string {
  if (section.hunks.length === 0) return source;
  const result = applyPatch(source, section);
  if (result === false) {
    const hunk = section.hunks.find((candidate) => applyPatch(source, { ...section, hunks: [candidate] }) === false) ?? section.hunks[0];
    const header = hunk ? `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` : 'a hunk';
    throw new PatchParseError({ path, reason: `hunk ${header} does not apply to the current content` });
  }
  return result;
}
