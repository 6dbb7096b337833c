import type { EngineEvent } from '../shared/engineEventSchema.js';
import type { TaskStatus } from '../shared/taskStatus.js';

/** A system notification's text. */
export interface SessionNotice {
  title: string;
  body: string;
}

/** A notification body stays readable in a notification centre's few lines. */
const MAX_BODY_CHARS = 240;
/** The statuses a finished session's summary counts, in the order they are listed. */
const SUMMARY_STATUSES: readonly TaskStatus[] = ['done', 'escalated', 'deadlocked', 'failed', 'skipped'];
const SESSION_TITLES = {
  completed: 'Nightshift session finished',
  stopped: 'Nightshift session stopped',
  failed: 'Nightshift session failed',
  blocked: 'Nightshift session blocked',
} as const;

/**
 * The system notification an engine event calls for, or null: a session that ended, a task that escalated
 * or deadlocked (someone has to look at it in the morning), and an engine the supervisor gave up restarting.
 */
export function decideNotification(options: {
  /** The event as the host published it. */
  event: EngineEvent;
}): SessionNotice | null {
  const { event } = options;
  switch (event.type) {
    case 'session/finished': {
      const counts = SUMMARY_STATUSES.filter((status) => (event.counts[status] ?? 0) > 0).map(
        (status) => `${event.counts[status]} ${status}`,
      );
      const summary = counts.length > 0 ? counts.join(', ') : 'no task ran';
      return { title: SESSION_TITLES[event.status], body: shorten(`${summary}; branch ${event.branch}.`) };
    }
    case 'task/finished':
      if (event.status !== 'escalated' && event.status !== 'deadlocked') return null;
      return { title: `Task ${event.taskId} ${event.status}`, body: shorten(event.reason) };
    case 'process/crashed':
      if (event.restarting || event.process !== 'engine') return null;
      return { title: 'Nightshift engine stopped', body: shorten(event.detail) };
    default:
      return null;
  }
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_BODY_CHARS ? oneLine : `${oneLine.slice(0, MAX_BODY_CHARS - 1)}…`;
}
