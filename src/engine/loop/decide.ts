import type { Decision } from '../../shared/decision.js';

/** Identical failure fingerprints within one task that end it as DEADLOCK. */
const DEADLOCK_REPEATS = 3;

/**
 * DECIDE: what an attempt's result means for its task. A passed attempt commits; a failure that has
 * repeated DEADLOCK_REPEATS times is a deadlock (retrying would only repeat it), even on the last attempt;
 * a failure on the last allowed attempt escalates; any other failure retries with the feedback.
 */
export function decide(options: {
  /** Whether every rail passed and the reviewer said GO. */
  passed: boolean;
  /** Failures of this task run with the attempt's failure fingerprint, this one included; ignored when passed. */
  repeats: number;
  /** The attempt's number, 1-based. */
  attempt: number;
  /** The last attempt number the task may use (`attemptBudget`'s `limit`). */
  limit: number;
}): Decision {
  if (options.passed) return 'COMMIT';
  if (options.repeats >= DEADLOCK_REPEATS) return 'DEADLOCK';
  return options.attempt >= options.limit ? 'ESCALATE' : 'RETRY';
}
