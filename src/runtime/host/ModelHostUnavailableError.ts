import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';

/** The model process crashed more often than the restart budget allows, so the host stopped restarting it. */
export class ModelHostUnavailableError extends EnvironmentUnavailableError {
  constructor(options: {
    /** Restarts made within the window. */
    restarts: number;
    /** The window the budget counts over, in milliseconds. */
    windowMs: number;
    /** How the last process ended, e.g. `signal SIGKILL` or `exit code 1`. */
    lastExit: string | null;
  }) {
    super({
      component: 'model',
      code: 'MODEL_HOST_UNAVAILABLE',
      message: `The model process crashed again after ${options.restarts} restarts within ${Math.round(options.windowMs / 1000)} s${options.lastExit ? ` (last: ${options.lastExit})` : ''}; not restarting it.`,
      hint: 'Check that the model files load and fit in memory (a smaller model, context size or fewer GPU layers), then start the session again.',
      context: { restarts: options.restarts, windowMs: options.windowMs, lastExit: options.lastExit },
    });
  }
}
