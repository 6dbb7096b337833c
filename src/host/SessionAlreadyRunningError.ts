import { NightshiftError } from '../shared/NightshiftError.js';

/** `session/start` for a project whose session is already scheduled, running, paused or stopping. */
export class SessionAlreadyRunningError extends NightshiftError {
  constructor(options: {
    projectPath: string;
    /** The supervisor's state for the project. */
    state: string;
    sessionId: string | null;
  }) {
    super({
      code: 'SESSION_ALREADY_RUNNING',
      message: `A session of ${options.projectPath} is already ${options.state}${options.sessionId ? ` (${options.sessionId})` : ''}; a project runs one session at a time.`,
      hint: options.state === 'paused' ? 'Resume the paused session, or stop it before starting a new one.' : 'Wait for it to end, or stop it first.',
      context: { ...options },
    });
  }
}
