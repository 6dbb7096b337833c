import type { AuditRecord } from '../../ports/Store.js';
import { AttemptFailed, type AttemptFailure } from './AttemptFailed.js';

/** A review that said NO_GO, or a GO demoted by the harness, with what the audit records of it. */
export class ReviewRejected extends AttemptFailed {
  constructor(
    failure: AttemptFailure,
    readonly audit: { verdict: AuditRecord['reviewVerdict']; askVerified: boolean | null },
  ) {
    super(failure);
  }
}
