import { NightshiftError } from '../../shared/NightshiftError.js';
import type { LockOwner } from './lockOwnerSchema.js';

/** Another Nightshift process holds the project's lock: one run per project at a time. */
export class ProjectLockedError extends NightshiftError {
  constructor(options: {
    projectPath: string;
    lockPath: string;
    /** Who holds it; null when the lock file cannot be read as Nightshift's. */
    holder: LockOwner | null;
    /** Whether the holder runs on another machine (its pid cannot be checked from here). */
    foreignHost: boolean;
  }) {
    const { holder, lockPath } = options;
    const who = holder
      ? `Nightshift process ${holder.pid} on ${holder.host} since ${new Date(holder.startedAt).toISOString()}` +
        `${holder.sessionId ? ` (session ${holder.sessionId})` : ''}: ${holder.command}`
      : `a process that left an unreadable lock file`;
    super({
      code: 'PROJECT_LOCKED',
      message: `Project ${options.projectPath} is already being worked on by ${who}.`,
      hint: !holder
        ? `If no Nightshift is running on this project, delete ${lockPath}.`
        : options.foreignHost
          ? `The lock was taken on another machine (${holder.host}), so it is never taken over automatically; if no Nightshift runs there on this project, delete ${lockPath}.`
          : `Wait for it to finish or stop it (Ctrl-C, or kill ${holder.pid}); a lock whose process has died is taken over by the next run.`,
      context: { projectPath: options.projectPath, lockPath, holder },
    });
  }
}
