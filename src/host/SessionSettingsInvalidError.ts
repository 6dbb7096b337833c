import { NightshiftError } from '../shared/NightshiftError.js';

/** The settings a session would run with are refused by their schema (a saved value from an older build, say). */
export class SessionSettingsInvalidError extends NightshiftError {
  constructor(options: {
    projectPath: string;
    /** The setting at fault, e.g. `targetBranch`. */
    field: string;
    /** What is wrong with it. */
    problem: string;
  }) {
    super({
      code: 'SESSION_SETTINGS_INVALID',
      message: `The session settings of ${options.projectPath} are refused: ${options.field}: ${options.problem}.`,
      hint: `Fix "${options.field}" in the project's session settings and start again.`,
      context: { ...options },
    });
  }
}
