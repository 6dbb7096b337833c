import { NightshiftError } from '../shared/NightshiftError.js';

/** `project/open` was given a path that is not the root folder of a git repository. */
export class ProjectPathError extends NightshiftError {
  constructor(options: {
    /** The path as given. */
    path: string;
    /** What is wrong with it, in a few words. */
    reason: string;
    cause?: unknown;
  }) {
    super({
      code: 'PROJECT_PATH_INVALID',
      message: `${options.path} cannot be opened as a project: ${options.reason}.`,
      hint: 'Choose the root folder of a git repository (the folder that contains .git).',
      context: { path: options.path, reason: options.reason },
      cause: options.cause,
    });
  }
}
