import { NightshiftError } from '../shared/NightshiftError.js';

/** `session/pause` for a project with no session running. */
export class SessionNotRunningError extends NightshiftError {
  constructor(options: {
    projectPath: string;
    /** The supervisor's state for the project. */
    state: string;
  }) {
    super({
      code: 'SESSION_NOT_RUNNING',
      message: `No session of ${options.projectPath} is running (it is ${options.state}), so there is nothing to pause.`,
      hint: options.state === 'scheduled' ? 'A scheduled start is cancelled with Stop.' : 'Start a session first.',
      context: { ...options },
    });
  }
}
