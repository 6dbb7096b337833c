import { NightshiftError } from '../shared/NightshiftError.js';

/**
 * A message named a project path the host has not opened. Messages that act inside a project accept only
 * opened ones, so a window cannot reach an arbitrary folder by naming it.
 */
export class ProjectNotOpenError extends NightshiftError {
  constructor(options: {
    /** The path as given. */
    path: string;
  }) {
    super({
      code: 'PROJECT_NOT_OPEN',
      message: `${options.path} is not a project Nightshift has opened.`,
      hint: 'Open the project folder first, then try again.',
      context: { path: options.path },
    });
  }
}
