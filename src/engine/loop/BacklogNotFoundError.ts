import { NightshiftError } from '../../shared/NightshiftError.js';

/** The session has no backlog to work from. */
export class BacklogNotFoundError extends NightshiftError {
  constructor(options: { path: string }) {
    super({
      code: 'BACKLOG_NOT_FOUND',
      message: `No backlog at ${options.path}.`,
      hint: 'Write a TASKS.md at the project root ("## T1: Title" per task), pass --tasks FILE, or set "tasksFile" in nightshift.json.',
      context: { path: options.path },
    });
  }
}
