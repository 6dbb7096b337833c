import { NightshiftError } from '../../shared/NightshiftError.js';

/** A backlog or PRD could not be turned into tasks; the message starts with `source:line:`. */
export class BacklogParseError extends NightshiftError {
  constructor(options: {
    /** File name or label shown to the user, e.g. `TASKS.md`. */
    source: string;
    /** 1-based line the problem is about. */
    line: number;
    /** What is wrong, in one sentence, without the location. */
    problem: string;
    /** What to change; defaults to a summary of the backlog format. */
    hint?: string;
  }) {
    super({
      code: 'BACKLOG_INVALID',
      message: `${options.source}:${options.line}: ${options.problem}`,
      hint:
        options.hint ??
        'Each task is a "## <id>: <title>" heading or a "- [ ] <id>: <title>" checklist item, optionally followed by "Depends on:", "Files:" and "Test:" lines.',
      context: { source: options.source, line: options.line, problem: options.problem },
    });
  }
}
