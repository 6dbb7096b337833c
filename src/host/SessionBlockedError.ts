import { NightshiftError } from '../shared/NightshiftError.js';

/** The session ended `blocked`: the preflight failed, or the environment failed and did not come back. */
export class SessionBlockedError extends NightshiftError {
  constructor(options: {
    sessionId: string;
    /** The engine's reason, with the fix. */
    reason: string;
  }) {
    super({
      code: 'SESSION_BLOCKED',
      message: `Session ${options.sessionId} is blocked: ${options.reason}`,
      hint: 'Fix what the reason names, then resume the session; it continues where it stopped.',
      context: { ...options },
    });
  }
}
