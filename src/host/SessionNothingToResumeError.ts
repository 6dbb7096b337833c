import { NightshiftError } from '../shared/NightshiftError.js';

/** `session/resume` for a project with no paused, stopped or interrupted session. */
export class SessionNothingToResumeError extends NightshiftError {
  constructor(options: {
    projectPath: string;
    /** The supervisor's state for the project. */
    state: string;
  }) {
    super({
      code: 'SESSION_NOTHING_TO_RESUME',
      message: `${options.projectPath} has no unfinished session to resume${options.state === 'idle' ? '' : ` (its session is ${options.state})`}.`,
      hint: options.state === 'idle' ? 'Start a new session instead.' : 'Wait for the running session, or stop it.',
      context: { ...options },
    });
  }
}
