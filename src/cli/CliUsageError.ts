import { NightshiftError } from '../shared/NightshiftError.js';

/** A command line that cannot be acted on. */
export class CliUsageError extends NightshiftError {
  constructor(options: { message: string; hint: string; context?: Record<string, unknown> }) {
    super({ code: 'CLI_USAGE', ...options });
  }
}
