import nodeFs from 'node:fs';
import git from 'isomorphic-git';
import { openRepo } from './openRepo.js';

/**
 * How many files of a working tree differ from HEAD or the index, untracked ones included and ignored ones
 * not, as `git status --porcelain` would list them. Reads only: the index is not refreshed.
 */
export async function countChangedFiles(options: {
  /** The repository root. */
  repoDir: string;
}): Promise<number> {
  const repo = await openRepo({ fs: nodeFs, repoDir: options.repoDir });
  // Without refresh: isomorphic-git would otherwise rewrite .git/index to cache file stats, and the user's
  // repository is never written.
  const rows = await git.statusMatrix({ fs: nodeFs, dir: repo.root, gitdir: repo.commonDir, cache: {}, refresh: false });
  // [path, HEAD, workdir, stage]: 1,1,1 is unchanged; 0,0,0 cannot occur for a listed file.
  return rows.filter(([, head, workdir, stage]) => !(head === 1 && workdir === 1 && stage === 1)).length;
}
