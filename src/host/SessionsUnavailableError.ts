import { NightshiftError } from '../shared/NightshiftError.js';

/** A host started without an engine process (a read-only viewer) was asked to run a session. */
export class SessionsUnavailableError extends NightshiftError {
  constructor(options: {
    /** The message that was refused. */
    name: string;
  }) {
    super({
      code: 'SESSIONS_UNAVAILABLE',
      message: `This Nightshift host cannot run sessions, so ${options.name} is refused.`,
      hint: 'Run sessions from the desktop app or `nightshift serve`, or from a terminal with `nightshift run <project-dir>`.',
      context: { name: options.name },
    });
  }
}
