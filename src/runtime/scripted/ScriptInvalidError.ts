import { NightshiftError } from '../../shared/NightshiftError.js';

/** A scripted model file cannot be read, is not JSON, or does not match scriptedScriptSchema. */
export class ScriptInvalidError extends NightshiftError {
  constructor(options: {
    path: string;
    /** What is wrong; for schema problems one `$.json.path: message` per line. */
    problem: string;
    cause?: unknown;
  }) {
    super({
      code: 'SCRIPT_INVALID',
      message: `Invalid model script ${options.path}: ${options.problem}`,
      hint: 'A script is JSON: { "models"?: { "brain"?, "coder"?, "qa"? }, "tasks": { "<taskId>": { "plan"?, "red"?, "green"?, "review"?: [answers] } }, "defaults"?: { "review"?: [answers] } }; an answer is the output JSON or { "raw": "text" }.',
      context: { path: options.path, problem: options.problem },
      cause: options.cause,
    });
  }
}
