import type { AttemptFailure } from './AttemptFailed.js';
import { describeError } from './describeError.js';

/** An error no phase anticipated, as a failure of the environment that keeps the verified test. */
export function unexpectedFailure(error: unknown): AttemptFailure {
  const message = describeError(error);
  return { type: 'environment', file: '', evidence: message, feedback: `The attempt stopped on an error: ${message}`, keepTest: true };
}
