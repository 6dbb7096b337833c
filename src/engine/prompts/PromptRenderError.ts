import { NightshiftError } from '../../shared/NightshiftError.js';

/** The values given for a prompt do not fit its template: a caller defect, never a model problem. */
export class PromptRenderError extends NightshiftError {
  constructor(options: {
    /** `<id>@<version>`. */
    promptId: string;
    /** What is wrong, in one sentence. */
    problem: string;
    /** Values that explain it, e.g. the missing placeholder names. */
    context: Record<string, unknown>;
  }) {
    super({
      code: 'PROMPT_RENDER_FAILED',
      message: `Cannot render prompt ${options.promptId}: ${options.problem}`,
      hint: 'Pass a value for every {{placeholder}} in the prompt file, and never mark task, definitionOfDone or testCommand as trimmable.',
      context: { promptId: options.promptId, ...options.context },
    });
  }
}
