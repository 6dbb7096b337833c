import type { LockOwner } from '../lock/lockOwnerSchema.js';
import type { SessionRecord, Store } from '../ports/Store.js';

/**
 * With the project's lock held, a session of the project still recorded `running` has no live process:
 * it is marked `interrupted`, with its running attempts `INTERRUPTED` and its running tasks requeued, so
 * it resumes like any unfinished session. Returns the session marked, or null.
 */
export function interruptDeadSession(options: {
  store: Store;
  projectId: number;
  /** The dead holder of the stale lock this process took over; null when there was no lock. */
  staleOwner: LockOwner | null;
  /** Now, epoch milliseconds. */
  now: number;
}): SessionRecord | null {
  const { store, staleOwner, now } = options;
  const named = staleOwner?.sessionId ? store.getSession(staleOwner.sessionId) : null;
  const session = named?.projectId === options.projectId ? named : store.findUnfinishedSession(options.projectId);
  if (session?.status !== 'running') return null;
  const found = new Date(now).toISOString();
  const reason = staleOwner
    ? `its process ${staleOwner.pid} died at an unknown time; found stale at ${found}`
    : `its process died at an unknown time (no lock left); found at ${found}`;
  store.transaction(() => {
    store.recoverInterrupted(session.id, now);
    store.updateSession(session.id, { status: 'interrupted', reason, endedAt: now });
  });
  return store.getSession(session.id);
}
