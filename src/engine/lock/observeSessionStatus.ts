import type { SessionRecord, Store } from '../ports/Store.js';
import { readProjectLock } from './readProjectLock.js';

/**
 * The session as a report should show it: one recorded `running` whose project lock is gone, stale, or
 * held for another session has no live process, so it is shown `interrupted` with why. Writes nothing (a
 * report works on a read-only data directory); the next run records it. A lock taken on another machine,
 * or not yet naming its session, leaves the record as it is.
 */
export async function observeSessionStatus(options: {
  session: SessionRecord;
  store: Store;
  /** Folder of project locks (from `projectLocksDir`). */
  locksDir: string;
  /** Whether a process id on this machine is alive. Default: `isProcessAlive`. */
  isAlive?: (pid: number) => boolean;
}): Promise<SessionRecord> {
  const { session } = options;
  const project = session.status === 'running' ? options.store.getProject(session.projectId) : null;
  if (!project) return session;
  const lock = await readProjectLock({ locksDir: options.locksDir, projectPath: project.path, ...(options.isAlive ? { isAlive: options.isAlive } : {}) });
  const interrupted = (reason: string): SessionRecord => ({ ...session, status: 'interrupted', reason });
  switch (lock.state) {
    case 'absent':
      return interrupted('its process is gone (the project lock is not held)');
    case 'stale':
      return interrupted(`its process ${lock.owner.pid} died at an unknown time (its project lock is stale)`);
    case 'held':
      return lock.owner.sessionId !== undefined && lock.owner.sessionId !== session.id
        ? interrupted(`its process is gone (process ${lock.owner.pid} now runs session ${lock.owner.sessionId})`)
        : session;
    default:
      return session;
  }
}
