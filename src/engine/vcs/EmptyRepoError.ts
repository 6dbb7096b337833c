import { NightshiftError } from '../../shared/NightshiftError.js';

/** The repository has no commit on HEAD yet, so there is nothing to start from. */
export class EmptyRepoError extends NightshiftError {
  constructor(options: { repoDir: string; headRef: string }) {
    super({
      code: 'EMPTY_REPO',
      message: `${options.repoDir} has no commits yet (${options.headRef} does not exist).`,
      hint: 'Make a first commit (for example `git add -A && git commit -m "Initial commit"`) and try again.',
      context: { repoDir: options.repoDir, headRef: options.headRef },
    });
  }
}
