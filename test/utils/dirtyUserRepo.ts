import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './createGitRepo.js';

/**
 * Leaves a repository the way a user mid-work would: on a feature branch, with a stash entry, a staged
 * change, an unstaged modification of `modifiedFile` and an untracked file.
 */
export function dirtyUserRepo(options: { dir: string; modifiedFile: string; stagedFile: string }): void {
  const { dir } = options;
  git(dir, 'checkout', '-q', '-b', 'feature/user-work');
  appendFileSync(join(dir, options.modifiedFile), '\n# stashed thought\n');
  git(dir, 'stash', 'push', '-q', '-m', 'user stash');
  appendFileSync(join(dir, options.stagedFile), '\n# staged by the user\n');
  git(dir, 'add', options.stagedFile);
  appendFileSync(join(dir, options.modifiedFile), '\n# work in progress, not committed\n');
  writeFileSync(join(dir, 'NOTES.txt'), 'untracked user notes\n');
}
