import { NightshiftError } from '../../shared/NightshiftError.js';

/** A new backlog order did not name every task of the backlog exactly once, so applying it would lose or invent tasks. */
export class BacklogOrderError extends NightshiftError {
  constructor(options: {
    /** Ids of the backlog missing from the order. */
    missing: string[];
    /** Ids in the order that are not in the backlog. */
    unknown: string[];
    /** Ids the order names more than once. */
    repeated: string[];
  }) {
    const problems = [
      options.missing.length > 0 ? `it leaves out ${options.missing.join(', ')}` : '',
      options.unknown.length > 0 ? `it names ${options.unknown.join(', ')}, which ${options.unknown.length === 1 ? 'is' : 'are'} not in the backlog` : '',
      options.repeated.length > 0 ? `it repeats ${options.repeated.join(', ')}` : '',
    ].filter((problem) => problem !== '');
    super({
      code: 'BACKLOG_ORDER_INVALID',
      message: `The new backlog order cannot be applied: ${problems.join('; ')}.`,
      hint: 'Reload the backlog (another window may have changed it) and reorder again.',
      context: { missing: options.missing, unknown: options.unknown, repeated: options.repeated },
    });
  }

  /** Throws when `taskIds` is not an ordering of exactly `current`. */
  static check(options: {
    /** Ids of the backlog as stored. */
    current: readonly string[];
    /** The requested order. */
    taskIds: readonly string[];
  }): void {
    const seen = new Set<string>();
    const repeated = new Set<string>();
    for (const id of options.taskIds) (seen.has(id) ? repeated : seen).add(id);
    const known = new Set(options.current);
    const missing = options.current.filter((id) => !seen.has(id));
    const unknown = [...seen].filter((id) => !known.has(id));
    if (missing.length > 0 || unknown.length > 0 || repeated.size > 0) {
      throw new BacklogOrderError({ missing, unknown, repeated: [...repeated] });
    }
  }
}
