import git, { type TreeEntry } from 'isomorphic-git';
import type { FileChange } from '../ports/Vcs.js';
import { InvalidCommitInputError } from './InvalidCommitInputError.js';

interface ChangeNode {
  /** Folder path relative to the repository root ('' for the root). */
  path: string;
  /** Direct file entries of this folder: name -> new content, null to delete. */
  files: Map<string, { path: string; after: string | null }>;
  /** Sub-folders that contain changes. */
  folders: Map<string, ChangeNode>;
}

/** Git modes of regular files: the only entries a change set may write, replace or delete. */
const REGULAR_MODES = new Set(['100644', '100755']);

/**
 * Writes the blobs and trees for `changes` applied on top of `treeOid` and returns the new root tree oid.
 * Unchanged subtrees are reused by oid, modified files keep their mode (the executable bit survives an
 * edit), new files get 100644, and folders left empty disappear, as git cannot store them. Only regular
 * files come out: a change marked `refused`, one that replaces or deletes a symlink (120000) or gitlink
 * (160000), or one that puts a file under a file, a symlink or a gitlink, or where a folder is, throws
 * `InvalidCommitInputError` and nothing is referenced.
 */
export async function rewriteTree(options: {
  /** Node's fs module (or a compatible one) for isomorphic-git. */
  fs: typeof import('node:fs');
  /** Git directory holding the objects. */
  gitdir: string;
  /** isomorphic-git cache shared by the calls of one operation (pack indexes). */
  cache: object;
  /** Root tree to start from. */
  treeOid: string;
  changes: FileChange[];
}): Promise<string> {
  const root: ChangeNode = { path: '', files: new Map(), folders: new Map() };
  for (const change of options.changes) {
    if (change.refused !== undefined) throw new InvalidCommitInputError({ path: change.path, reason: `is ${change.refused}, never committed` });
    const segments = change.path.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git' || s.includes('\0'))) {
      throw new InvalidCommitInputError({ path: change.path, reason: 'not a clean relative path inside the repository' });
    }
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const next = node.folders.get(segment) ?? { path: `${node.path}${segment}/`, files: new Map(), folders: new Map() };
      node.folders.set(segment, next);
      node = next;
    }
    const name = segments.at(-1) as string;
    if (node.files.has(name)) throw new InvalidCommitInputError({ path: change.path, reason: 'listed more than once' });
    node.files.set(name, { path: change.path, after: change.after });
  }
  const io = { fs: options.fs, gitdir: options.gitdir, cache: options.cache };
  return (await writeNode(io, root, options.treeOid)) ?? (await git.writeTree({ ...io, tree: [] }));
}

async function writeNode(
  io: { fs: typeof import('node:fs'); gitdir: string; cache: object },
  node: ChangeNode,
  treeOid: string | null,
): Promise<string | null> {
  const entries = new Map<string, TreeEntry>();
  if (treeOid !== null) for (const entry of (await git.readTree({ ...io, oid: treeOid })).tree) entries.set(entry.path, entry);
  const clash = (path: string, existing: TreeEntry) => new InvalidCommitInputError({ path, reason: `is ${describeEntry(existing)} in the parent commit` });
  // Deletions go first and additions last, so a file may turn into a folder and back within one commit.
  for (const [name, { path, after }] of node.files) {
    const existing = entries.get(name);
    if (after !== null || !existing) continue;
    if (!REGULAR_MODES.has(existing.mode)) throw clash(path, existing);
    entries.delete(name);
  }
  for (const [name, child] of node.folders) {
    const existing = entries.get(name);
    if (existing && existing.type !== 'tree') {
      throw new InvalidCommitInputError({ path: child.path.slice(0, -1), reason: `is ${describeEntry(existing)} in the parent commit, so nothing can be put under it` });
    }
    const oid = await writeNode(io, child, existing?.oid ?? null);
    if (oid === null) entries.delete(name);
    else entries.set(name, { mode: '040000', path: name, oid, type: 'tree' });
  }
  for (const [name, { path, after }] of node.files) {
    if (after === null) continue;
    const existing = entries.get(name);
    if (existing && !REGULAR_MODES.has(existing.mode)) throw clash(path, existing);
    const oid = await git.writeBlob({ ...io, blob: Buffer.from(after, 'utf8') });
    entries.set(name, { mode: existing?.mode ?? '100644', path: name, oid, type: 'blob' });
  }
  return entries.size === 0 ? null : git.writeTree({ ...io, tree: [...entries.values()] });
}

function describeEntry(entry: TreeEntry): string {
  if (entry.type === 'tree') return 'a folder';
  if (entry.type === 'commit') return 'a gitlink (submodule, mode 160000)';
  if (entry.mode === '120000') return 'a symlink (mode 120000)';
  return REGULAR_MODES.has(entry.mode) ? 'a file' : `an entry with mode ${entry.mode}`;
}
