import { join, resolve } from 'node:path';
import { NotAGitRepoError } from './NotAGitRepoError.js';

export interface OpenedRepo {
  /** Real path of the working tree root. */
  root: string;
  /** This working tree's git directory: holds HEAD (and, in linked worktrees, nothing shared). */
  gitdir: string;
  /** Directory holding objects and refs; equals `gitdir` except in linked worktrees. */
  commonDir: string;
}

/**
 * Locates the git directories of the working tree rooted at `repoDir`. Parent folders are deliberately not
 * searched: the user names the repository root, and silently using an enclosing repository would deliver
 * commits somewhere they did not ask for.
 */
export async function openRepo(options: {
  /** Node's fs module (or a compatible one). */
  fs: typeof import('node:fs');
  /** The folder the user named as the repository root. */
  repoDir: string;
}): Promise<OpenedRepo> {
  const { fs, repoDir } = options;
  const fail = (reason: string, hint?: string) => new NotAGitRepoError({ repoDir, reason, hint });
  const stat = await fs.promises.stat(repoDir).catch(() => null);
  if (!stat) throw fail('the directory does not exist', 'Check the path for typos; it must be an existing folder.');
  if (!stat.isDirectory()) throw fail('it is not a directory');
  const root = await fs.promises.realpath(repoDir);
  const dotGit = join(root, '.git');
  const dotGitStat = await fs.promises.stat(dotGit).catch(() => null);
  if (!dotGitStat) throw fail('it has no .git (parent folders are not searched)');
  let gitdir = dotGit;
  if (dotGitStat.isFile()) {
    // Linked worktrees and submodules point at their real git directory with a `gitdir:` line.
    const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(await fs.promises.readFile(dotGit, 'utf8'))?.[1];
    if (!pointer) throw fail('.git is a file without a `gitdir:` line');
    gitdir = resolve(root, pointer);
  } else if (!dotGitStat.isDirectory()) {
    throw fail('.git is neither a folder nor a gitdir file');
  }
  const commonDirPointer = await fs.promises.readFile(join(gitdir, 'commondir'), 'utf8').catch(() => null);
  const commonDir = commonDirPointer === null ? gitdir : resolve(gitdir, commonDirPointer.trim());
  const head = await fs.promises.stat(join(gitdir, 'HEAD')).catch(() => null);
  const objects = await fs.promises.stat(join(commonDir, 'objects')).catch(() => null);
  if (!head?.isFile() || !objects?.isDirectory()) {
    throw fail(
      `${gitdir} is not a valid git directory (missing HEAD or objects)`,
      dotGitStat.isFile()
        ? `The .git file points at ${gitdir}; repair it (\`git worktree repair\` or \`git submodule update --init\`).`
        : undefined,
    );
  }
  return { root, gitdir, commonDir };
}
