import { NightshiftError } from '../../shared/NightshiftError.js';

/** `nightshift.json` exists but is not valid JSON or does not match the config schema. */
export class ProjectConfigError extends NightshiftError {
  constructor(options: {
    /** Absolute path of the config file. */
    file: string;
    /** Dotted path of the offending field, or null when the file as a whole is unreadable or not JSON. */
    field: string | null;
    /** What is wrong. */
    reason: string;
    cause?: unknown;
  }) {
    super({
      code: 'PROJECT_CONFIG_INVALID',
      message: `${options.file}${options.field === null ? '' : ` field "${options.field}"`}: ${options.reason}`,
      hint: 'Fix or remove the field in nightshift.json; every field is optional and documented in projectConfigSchema.',
      context: { file: options.file, field: options.field, reason: options.reason },
      cause: options.cause,
    });
  }
}
