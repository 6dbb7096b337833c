import { NightshiftError } from '../../shared/NightshiftError.js';

/** Tasks cannot be put in dependency order: a duplicate id, an unknown dependency or a cycle. */
export class TaskOrderError extends NightshiftError {
  constructor(options: {
    /** What is wrong, in one sentence. */
    problem: string;
    /** Values that explain it (ids, the cycle). */
    context: Record<string, unknown>;
  }) {
    super({
      code: 'TASK_ORDER_INVALID',
      message: `Cannot order the tasks: ${options.problem}`,
      hint: 'Give every task a unique id and make dependsOn name only other tasks of the same list, without cycles.',
      context: options.context,
    });
  }
}
