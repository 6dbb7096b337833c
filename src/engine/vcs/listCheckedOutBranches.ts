import { basename, dirname, join } from 'node:path';

/**
 * Branches that some working tree of the repository has checked out, including a branch being rebased
 * (HEAD is detached then, but git still treats the branch as in use).
 */
export async function listCheckedOutBranches(options: {
  /** Node's fs module (or a compatible one). */
  fs: typeof import('node:fs');
  /** The repository's common git directory (objects and refs). */
  commonDir: string;
}): Promise<Array<{ branch: string; worktree: string }>> {
  const { fs, commonDir } = options;
  const read = (path: string) => fs.promises.readFile(path, 'utf8').catch(() => null);
  const mainWorktree = basename(commonDir) === '.git' ? dirname(commonDir) : commonDir;
  const worktrees = [{ gitdir: commonDir, worktree: mainWorktree }];
  const linked = await fs.promises.readdir(join(commonDir, 'worktrees')).catch(() => []);
  for (const name of linked) {
    const gitdir = join(commonDir, 'worktrees', name);
    // `gitdir` in a linked worktree's admin folder holds the path of that worktree's `.git` file.
    const dotGitPath = (await read(join(gitdir, 'gitdir')))?.trim();
    worktrees.push({ gitdir, worktree: dotGitPath ? dirname(dotGitPath) : gitdir });
  }
  const result: Array<{ branch: string; worktree: string }> = [];
  for (const { gitdir, worktree } of worktrees) {
    for (const file of ['HEAD', 'rebase-merge/head-name', 'rebase-apply/head-name']) {
      const ref = (await read(join(gitdir, file)))?.replace(/^ref:\s*/, '').trim();
      if (ref?.startsWith('refs/heads/')) result.push({ branch: ref.slice('refs/heads/'.length), worktree });
    }
  }
  return result;
}
