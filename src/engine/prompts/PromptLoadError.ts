import { NightshiftError } from '../../shared/NightshiftError.js';

/** A prompt file is missing or malformed. Prompts ship with Nightshift, so this is an install or edit defect. */
export class PromptLoadError extends NightshiftError {
  constructor(options: {
    /** The prompt id that was asked for. */
    id: string;
    /** The file that was read, when there is one. */
    path: string | null;
    /** What is wrong, in one sentence. */
    problem: string;
    cause?: unknown;
  }) {
    super({
      code: 'PROMPT_INVALID',
      message: `Prompt ${options.id}${options.path ? ` (${options.path})` : ''}: ${options.problem}`,
      hint: 'A prompt file is resources/prompts/<id>.md: front matter with id, version and role between "---" lines, then a "# System" and a "# User" section. Reinstall Nightshift if the file is missing.',
      context: { id: options.id, path: options.path, problem: options.problem },
      cause: options.cause,
    });
  }
}
