import { NightshiftError } from '../shared/NightshiftError.js';

/** The engine process died without reporting an end, and the supervisor did not start it again. */
export class EngineProcessCrashedError extends NightshiftError {
  constructor(options: {
    projectPath: string;
    sessionId: string | null;
    /** Crashes counted in the window, this one included. */
    crashes: number;
    /** Why no restart: the crash limit was reached, or the run was being paused or stopped anyway. */
    gaveUp: boolean;
    /** How the last one ended: `signal SIGKILL`, `exit code 1`, with its stderr tail. */
    lastExit: string;
  }) {
    super({
      code: 'ENGINE_PROCESS_CRASHED',
      message: options.gaveUp
        ? `The engine process crashed ${options.crashes} times in a row, so Nightshift stopped restarting it; last: ${options.lastExit}`
        : `The engine process crashed while the session was stopping; last: ${options.lastExit}`,
      hint: 'The session is kept and resumes where its records say: press Resume. If it keeps crashing, look at the last words above and report them.',
      context: { ...options },
    });
  }
}
