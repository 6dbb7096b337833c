import { randomBytes } from 'node:crypto';
import nodeFs from 'node:fs';
import { dirname, join } from 'node:path';
import git from 'isomorphic-git';
import type { Vcs } from '../ports/Vcs.js';
import { assertValidBranchName } from './assertValidBranchName.js';
import { CheckedOutBranchError } from './CheckedOutBranchError.js';
import { compareAndSwapBranch } from './compareAndSwapBranch.js';
import { EmptyRepoError } from './EmptyRepoError.js';
import { InvalidBranchNameError } from './InvalidBranchNameError.js';
import { InvalidCommitInputError } from './InvalidCommitInputError.js';
import { listCheckedOutBranches } from './listCheckedOutBranches.js';
import { openRepo } from './openRepo.js';
import { rewriteTree } from './rewriteTree.js';
import { UnknownCommitError } from './UnknownCommitError.js';
import { WorkspaceNotEmptyError } from './WorkspaceNotEmptyError.js';

type Fs = typeof import('node:fs');

/**
 * Git access through isomorphic-git that writes nothing in the user's repository except objects and the
 * one branch ref it is asked to move: never the working tree, index, stash, HEAD or a checked-out branch.
 */
export function createGitVcs(
  options: {
    /** File system to use; defaults to Node's `fs`. */
    fs?: Fs;
    /**
     * Nightshift's folder for ref-lock intents (from `refIntentsDir`), so a branch lock left by a killed
     * Nightshift is recovered by the next delivery. Default: none, and such a lock blocks delivery.
     */
    refIntentsDir?: string;
  } = {},
): Vcs {
  const fs = options.fs ?? nodeFs;
  const gitFs = withAtomicWrites(fs);
  /** Opens the repository; `cache` lets isomorphic-git reuse parsed pack indexes within one operation. */
  const open = async (repoDir: string) => {
    const repo = await openRepo({ fs, repoDir });
    return { ...repo, io: { fs: gitFs, gitdir: repo.commonDir, cache: {} } };
  };
  const branchOid = async (io: { fs: Fs; gitdir: string }, branch: string) => {
    assertValidBranchName(branch);
    return git.resolveRef({ ...io, ref: `refs/heads/${branch}` }).catch(orNullWhenMissing);
  };
  /** Resolves `oid` to its commit, turning "missing" and "not a commit" into one typed error. */
  const readCommit = (io: { fs: Fs; gitdir: string; cache: object }, repoDir: string, oid: string) =>
    git.readCommit({ ...io, oid }).catch((cause: unknown) => {
      throw new UnknownCommitError({ repoDir, oid, cause });
    });

  return {
    async inspectRepo({ repoDir }) {
      const { root, gitdir, io } = await open(repoDir);
      // HEAD is read from the worktree's own gitdir: in a linked worktree it differs from the common one.
      const head = (await fs.promises.readFile(join(gitdir, 'HEAD'), 'utf8')).trim();
      const headRef = head.startsWith('ref:') ? head.slice(4).trim() : null;
      const headOid = headRef === null ? head : await git.resolveRef({ ...io, ref: headRef }).catch(orNullWhenMissing);
      if (headOid === null) throw new EmptyRepoError({ repoDir, headRef: headRef ?? 'HEAD' });
      const currentBranch = headRef?.startsWith('refs/heads/') ? headRef.slice('refs/heads/'.length) : null;
      return { root, headOid, currentBranch };
    },

    async readBranch({ repoDir, branch }) {
      return branchOid((await open(repoDir)).io, branch);
    },

    async materialize({ repoDir, commitOid, workspaceDir }) {
      const { io } = await open(repoDir);
      const { commit } = await readCommit(io, repoDir, commitOid);
      const existing = await fs.promises.readdir(workspaceDir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error.code === 'ENOTDIR' ? new WorkspaceNotEmptyError({ workspaceDir }) : error;
      });
      if (existing.length > 0) throw new WorkspaceNotEmptyError({ workspaceDir });
      await fs.promises.mkdir(workspaceDir, { recursive: true });
      const writeTree = async (treeOid: string, dir: string): Promise<void> => {
        for (const entry of (await git.readTree({ ...io, oid: treeOid })).tree) {
          const path = join(dir, entry.path);
          if (entry.type === 'tree') {
            await fs.promises.mkdir(path);
            await writeTree(entry.oid, path);
          } else if (entry.type === 'blob') {
            const { blob } = await git.readBlob({ ...io, oid: entry.oid });
            if (entry.mode === '120000') await fs.promises.symlink(Buffer.from(blob), path);
            else {
              await fs.promises.writeFile(path, blob);
              // An explicit chmod because writeFile's mode is filtered by the umask.
              if (entry.mode === '100755') await fs.promises.chmod(path, 0o755);
            }
          } else if (entry.type === 'commit') {
            // A submodule's content lives in another repository; like `git checkout`, leave an empty folder,
            // so a change that puts a file where it is clashes in the workspace as it would in the commit.
            await fs.promises.mkdir(path);
          }
        }
      };
      await writeTree(commit.tree, workspaceDir);
    },

    async readFileAt({ repoDir, commitOid, path }) {
      const { io } = await open(repoDir);
      await readCommit(io, repoDir, commitOid);
      // A folder or submodule at `path` is not a file either, so it reads as absent too.
      const found = await git.readBlob({ ...io, oid: commitOid, filepath: path }).catch((error: unknown) => {
        if (error instanceof git.Errors.ObjectTypeError) return null;
        return orNullWhenMissing(error);
      });
      return found === null ? null : Buffer.from(found.blob).toString('utf8');
    },

    async commit({ repoDir, parentOid, changes, message, author }) {
      const { io } = await open(repoDir);
      if (!Number.isInteger(author.timestamp) || author.timestamp < 0 || author.timestamp > 1e10) {
        throw new InvalidCommitInputError({ reason: `author.timestamp ${author.timestamp} is not Unix seconds` });
      }
      const { commit: parent } = await readCommit(io, repoDir, parentOid);
      const tree = await rewriteTree({ ...io, treeOid: parent.tree, changes });
      const signature = {
        name: author.name,
        email: author.email,
        timestamp: author.timestamp,
        timezoneOffset: new Date(author.timestamp * 1000).getTimezoneOffset(),
      };
      return git.writeCommit({
        ...io,
        commit: {
          tree,
          parent: [parentOid],
          author: signature,
          committer: signature,
          // git itself always ends messages with a newline; matching it keeps `git log` output tidy.
          message: message.endsWith('\n') ? message : `${message}\n`,
        },
      });
    },

    async updateBranch({ repoDir, branch, oid, expectedOid }) {
      const { commonDir, io } = await open(repoDir);
      assertValidBranchName(branch);
      const checkedOut = (await listCheckedOutBranches({ fs, commonDir })).find((entry) => entry.branch === branch);
      if (checkedOut) throw new CheckedOutBranchError(checkedOut);
      // refs/heads/a and refs/heads/a/b cannot coexist as files, loose or packed.
      const clash = (await git.listBranches(io)).find((b) => b.startsWith(`${branch}/`) || branch.startsWith(`${b}/`));
      if (clash !== undefined) throw new InvalidBranchNameError({ branch, reason: `conflicts with existing branch ${clash}` });
      await readCommit(io, repoDir, oid);
      await compareAndSwapBranch({
        fs,
        commonDir,
        branch,
        oid,
        expectedOid,
        readCurrent: () => branchOid(io, branch),
        ...(options.refIntentsDir ? { intentsDir: options.refIntentsDir } : {}),
      });
    },

    async log({ repoDir, oid, depth }) {
      const { io } = await open(repoDir);
      await readCommit(io, repoDir, oid);
      const entries = await git.log({ ...io, ref: oid, depth });
      return entries.map((entry) => ({ oid: entry.oid, message: entry.commit.message }));
    },
  };
}

function orNullWhenMissing(error: unknown): null {
  if (error instanceof git.Errors.NotFoundError) return null;
  throw error;
}

/**
 * isomorphic-git writes loose objects in place; writing to a temporary file and renaming means a crash never
 * leaves a truncated object that a later write of the same oid would trust (it skips existing files). The
 * `tmp_obj_` prefix is the one `git gc` cleans up.
 */
function withAtomicWrites(fs: Fs): Fs {
  const writeFile: Fs['promises']['writeFile'] = async (path, data, writeOptions) => {
    const temporary = join(dirname(String(path)), `tmp_obj_${randomBytes(6).toString('hex')}`);
    try {
      await fs.promises.writeFile(temporary, data, writeOptions);
      await fs.promises.rename(temporary, String(path));
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
  };
  return { ...fs, promises: { ...fs.promises, writeFile } };
}
