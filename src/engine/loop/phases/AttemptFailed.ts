import type { FailureType } from '../../../shared/failureType.js';
import type { RailResult } from '../../../shared/railResultSchema.js';

/** A failed attempt, as DECIDE sees it. */
export interface AttemptFailure {
  type: FailureType;
  file: string;
  /** Output that identifies the failure; its normalized first 50 characters feed the fingerprint. */
  evidence: string;
  /** Message for the next attempt and the records. */
  feedback: string;
  /** When set, the fingerprint computed by the gates. */
  fingerprint?: string;
  /** Whether the verified failing test can be kept for the next attempt. */
  keepTest: boolean;
  /** A rail that refused the change before the gates ran (path safety, test integrity), for the records. */
  rail?: RailResult;
}

/** Raised inside an attempt to end it with a recorded failure. */
export class AttemptFailed extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.feedback);
  }
}
