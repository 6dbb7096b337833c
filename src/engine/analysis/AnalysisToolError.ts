import { NightshiftError } from '../../shared/NightshiftError.js';

/** A source-analysis helper (Python's `ast` run in the sandbox) could not run or answered nonsense. */
export class AnalysisToolError extends NightshiftError {
  constructor(options: {
    /** The helper's name, e.g. `analyze_tests`. */
    tool: string;
    /** What went wrong, in words. */
    problem: string;
    /** The helper's output tail, when it ran. */
    output?: string;
  }) {
    super({
      code: 'ANALYSIS_TOOL_FAILED',
      message: `The source analysis ${options.tool} failed: ${options.problem}.`,
      hint: 'The sandbox must provide python3 (3.9 or newer) for Python projects; run `nightshift sandbox doctor`.',
      context: { tool: options.tool, problem: options.problem, ...(options.output === undefined ? {} : { output: options.output }) },
    });
  }
}
