import type { Store } from '../ports/Store.js';

/** The audit records as JSON Lines: one object per task run, each line ending in a newline; `''` when none. */
export function exportAuditJsonl(options: {
  store: Store;
  /** Only this session's task runs. Default: every session. */
  sessionId?: string;
}): string {
  const records = options.store.listAudit(options.sessionId === undefined ? {} : { sessionId: options.sessionId });
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}
