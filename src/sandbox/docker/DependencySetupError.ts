import { NightshiftError } from '../../shared/NightshiftError.js';

/** The dependency setup step cannot run. */
export class DependencySetupError extends NightshiftError {
  constructor(options: {
    /**
     * `SETUP_NETWORK_NOT_ALLOWED`: asked to run without the explicit network opt-in;
     * `SETUP_COMMAND_UNKNOWN`: no `setupCommand` and nothing to infer one from (or two stacks to choose between).
     */
    code: 'SETUP_NETWORK_NOT_ALLOWED' | 'SETUP_COMMAND_UNKNOWN';
    message: string;
    hint: string;
    /** The project whose dependencies were to be installed. */
    projectDir: string;
  }) {
    super({ code: options.code, message: options.message, hint: options.hint, context: { projectDir: options.projectDir } });
  }
}
