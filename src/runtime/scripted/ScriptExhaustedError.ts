import { NightshiftError } from '../../shared/NightshiftError.js';

/** The script has no answer for a task and phase the loop asked about. */
export class ScriptExhaustedError extends NightshiftError {
  constructor(options: {
    taskId: string;
    /** The loop phase of the call, e.g. `green`. */
    phase: string;
    /** The script file, when the script came from one. */
    scriptPath: string | null;
  }) {
    super({
      code: 'SCRIPT_EXHAUSTED',
      message: `The model script${options.scriptPath ? ` ${options.scriptPath}` : ''} has no answer for task ${options.taskId}, phase ${options.phase}.`,
      hint: `Add answers under tasks.${options.taskId}.${options.phase} (or defaults.review for reviews); only plan, red, green and review are scripted.`,
      context: { taskId: options.taskId, phase: options.phase, scriptPath: options.scriptPath },
    });
  }
}
