import { NightshiftError } from '../shared/NightshiftError.js';

/** `session/start` for a project whose backlog has no task. */
export class SessionBacklogEmptyError extends NightshiftError {
  constructor(options: { projectPath: string }) {
    super({
      code: 'SESSION_BACKLOG_EMPTY',
      message: `The backlog of ${options.projectPath} has no task, so there is nothing for a session to do.`,
      hint: 'Add a task in the Backlog view, or import a TASKS.md or a PRD, then start again.',
      context: { ...options },
    });
  }
}
