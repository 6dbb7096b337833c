import { NightshiftError } from '../../shared/NightshiftError.js';

/** The directory the user named is missing, or has no usable `.git` of its own. */
export class NotAGitRepoError extends NightshiftError {
  constructor(options: { repoDir: string; reason: string; hint?: string; cause?: unknown }) {
    super({
      code: 'NOT_A_GIT_REPO',
      message: `${options.repoDir} is not a git repository: ${options.reason}`,
      hint:
        options.hint ??
        'Point Nightshift at the root of a git working tree (the folder that contains `.git`), or run `git init` there.',
      context: { repoDir: options.repoDir, reason: options.reason },
      cause: options.cause,
    });
  }
}
