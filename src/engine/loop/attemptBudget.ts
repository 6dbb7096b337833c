import type { AttemptRecord } from '../ports/Store.js';

/**
 * Where a task's attempts stand before it (re)starts. Attempts cut short by Ctrl-C or a crash
 * (`INTERRUPTED`) keep their numbers, which are unique per task run, but are the machine's doing, not the
 * model's, so they do not count against `maxAttempts`: the last number allowed grows by one for each.
 */
export function attemptBudget(options: {
  /** The task run's attempts so far. */
  attempts: AttemptRecord[];
  /** The project's attempt budget. */
  maxAttempts: number;
}): {
  /** Highest attempt number used so far; 0 before the first. */
  lastNumber: number;
  /** How many attempts were interrupted. */
  interrupted: number;
  /** The last attempt number this task may use. */
  limit: number;
} {
  const lastNumber = options.attempts.reduce((highest, attempt) => Math.max(highest, attempt.number), 0);
  const interrupted = options.attempts.filter((attempt) => attempt.decision === 'INTERRUPTED').length;
  return { lastNumber, interrupted, limit: options.maxAttempts + interrupted };
}
