import { applyPatch, parsePatch } from 'diff';
import type { FileChange } from '../ports/Vcs.js';
import { PatchParseError } from './PatchParseError.js';

type StructuredPatch = ReturnType<typeof parsePatch>[number];

const DEV_NULL = '/dev/null';

/** Git modes of regular files, the only ones a patch may create or change. */
const REGULAR_MODES = new Set(['100644', '100755']);

/** What git's extended headers say about one `diff --git` section. */
interface GitHeader {
  /** Every mode the section names: `new file mode`, `deleted file mode`, `old mode`, `new mode`, `index`. */
  modes: string[];
  oldMode: string | null;
  newMode: string | null;
  /** How the section marks binary content, or null for text. */
  binary: string | null;
}

/**
 * Turns a unified diff (plain or git-flavoured) into before/after contents, reading the current files
 * through `readBefore`. Handles new files, deletions, `a/`/`b/` prefixes, copies, and renames (as a deletion
 * plus an addition); several sections for one file compose. Only regular text files come through: a
 * section that git's extended headers mark as a symlink (120000), a gitlink (160000), another mode, a mode
 * change, or binary content (`GIT binary patch`, `Binary files ... differ`) is returned as a change with
 * `refused` saying so and its content left as it was, never converted or dropped. Paths are returned as
 * the patch names them, unvalidated, so that unsafe paths reach the path-safety rail and are reported
 * there. Throws `PatchParseError` for malformed patches and hunks that do not apply.
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
  const { headers, looseBinaries } = readGitHeaders(options.patch);
  const gitSections = sections.filter((section) => section.isGit === true);
  if (gitSections.length !== headers.length) {
    throw new PatchParseError({ reason: `its ${headers.length} "diff --git" header(s) do not match the ${gitSections.length} file section(s) found` });
  }
  const headerOf = new Map(gitSections.map((section, index) => [section, headers[index] as GitHeader]));
  sections = sections.filter((section) => section.hunks.length > 0 || section.oldFileName !== undefined || section.newFileName !== undefined);
  if (sections.length === 0 && looseBinaries.length === 0) {
    throw new PatchParseError({ reason: 'it contains no file sections (expected "--- a/path" and "+++ b/path" headers)' });
  }

  const files = new Map<string, { before: string | null; current: string | null; refused: string[] }>();
  const order: string[] = [];
  const load = async (path: string) => {
    let file = files.get(path);
    if (!file) {
      const before = await options.readBefore(path);
      file = { before, current: before, refused: [] };
      files.set(path, file);
      order.push(path);
    }
    return file;
  };
  const refuse = async (path: string, reason: string) => {
    const file = await load(path);
    if (!file.refused.includes(reason)) file.refused.push(reason);
  };

  for (const { path, line } of looseBinaries) await refuse(path, `binary content (${JSON.stringify(line)})`);
  for (const section of sections) {
    const { oldPath, newPath } = sectionPaths(section);
    if (oldPath === null && newPath === null) throw new PatchParseError({ reason: 'a section names neither an old nor a new file' });
    const header = headerOf.get(section);
    const refusal = header ? describeRefusal(header) : null;
    if (refusal !== null) {
      for (const path of new Set([oldPath, newPath])) if (path !== null) await refuse(path, refusal);
      continue;
    }

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
    .map((path) => ({ path, ...(files.get(path) as { before: string | null; current: string | null; refused: string[] }) }))
    .filter((file) => file.current !== file.before || file.refused.length > 0)
    .map((file) =>
      file.refused.length > 0
        ? { path: file.path, before: file.before, after: file.before, refused: file.refused.join('; ') }
        : { path: file.path, before: file.before, after: file.current },
    );
}

/**
 * Reads git's extended headers, one entry per `diff --git` line in order, plus `Binary files ... differ`
 * lines outside any git section (`diff -r` output), which carry their path in the line itself. Header
 * lines cannot be confused with hunk lines, which all start with a space, `+`, `-` or a backslash.
 */
function readGitHeaders(patch: string): { headers: GitHeader[]; looseBinaries: Array<{ path: string; line: string }> } {
  const headers: GitHeader[] = [];
  const looseBinaries: Array<{ path: string; line: string }> = [];
  let current: GitHeader | null = null;
  for (const rawLine of patch.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.startsWith('diff --git ')) {
      current = { modes: [], oldMode: null, newMode: null, binary: null };
      headers.push(current);
      continue;
    }
    const binaryFiles = /^Binary files (.+) and (.+) differ$/.exec(line);
    if (binaryFiles && current === null) {
      const [oldName, newName] = [binaryFiles[1] as string, binaryFiles[2] as string];
      const prefixed = (oldName === DEV_NULL || oldName.startsWith('a/')) && (newName === DEV_NULL || newName.startsWith('b/'));
      const named = newName === DEV_NULL ? oldName : newName;
      looseBinaries.push({ path: prefixed ? named.slice(2) : named, line });
      continue;
    }
    if (current === null) continue;
    if (binaryFiles) current.binary = `binary content (${JSON.stringify(line)})`;
    else if (line === 'GIT binary patch') current.binary = 'binary content (GIT binary patch)';
    const mode = /^(new file mode|deleted file mode|old mode|new mode) ([0-7]+)$/.exec(line) ?? /^index [0-9a-f]+\.\.[0-9a-f]+ ([0-7]+)$/i.exec(line);
    if (!mode) continue;
    const value = mode[mode.length - 1] as string;
    current.modes.push(value);
    if (mode[1] === 'old mode') current.oldMode = value;
    if (mode[1] === 'new mode') current.newMode = value;
  }
  return { headers, looseBinaries };
}

/** Why a git section cannot be applied as a regular text file, or null when it can. */
function describeRefusal(header: GitHeader): string | null {
  const reasons: string[] = [];
  for (const mode of new Set(header.modes)) {
    if (mode === '120000') reasons.push('a symlink (mode 120000)');
    else if (mode === '160000') reasons.push('a gitlink (submodule, mode 160000)');
    else if (!REGULAR_MODES.has(mode)) reasons.push(`an unsupported file mode ${mode}`);
  }
  if (header.oldMode !== null && header.newMode !== null && header.oldMode !== header.newMode) {
    reasons.push(`a mode change ${header.oldMode} -> ${header.newMode}`);
  }
  if (header.binary !== null) reasons.push(header.binary);
  return reasons.length > 0 ? reasons.join(', ') : null;
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
