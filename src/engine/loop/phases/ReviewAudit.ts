import type { AuditRecord } from '../../ports/Store.js';

/** What the audit keeps of the last review. */
export interface ReviewAudit {
  verdict: AuditRecord['reviewVerdict'];
  /** Whether the reviewer's quoted ask was found in the task text; null before a review. */
  askVerified: boolean | null;
}
