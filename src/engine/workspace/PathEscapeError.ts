import { NightshiftError } from '../../shared/NightshiftError.js';

/** A proposed path would leave the workspace, touch git internals, or cannot be used safely. */
export class PathEscapeError extends NightshiftError {
  readonly path: string;
  readonly reason: string;

  constructor(options: {
    /** The path as it was proposed, relative to the workspace root. */
    path: string;
    /** Absolute workspace root the path was checked against. */
    root: string;
    /** Why the path is refused, e.g. `contains a ".." segment`. */
    reason: string;
  }) {
    super({
      code: 'PATH_ESCAPE',
      message: `Refused path ${JSON.stringify(options.path)}: ${options.reason}.`,
      hint: 'Use a relative path with forward slashes inside the repository, without "..", ".git" or symlinks that lead outside.',
      context: { path: options.path, root: options.root, reason: options.reason },
    });
    this.path = options.path;
    this.reason = options.reason;
  }
}
