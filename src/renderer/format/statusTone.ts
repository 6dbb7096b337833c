import type { Decision } from '../../shared/decision.js';
import type { SessionSummary } from '../../shared/protocol.js';
import type { TaskStatus } from '../../shared/taskStatus.js';

export type Tone = 'ok' | 'warn' | 'err' | 'run' | 'esc' | 'muted';

const tones: Record<TaskStatus | SessionSummary['status'] | Decision | 'INTERRUPTED', Tone> = {
  queued: 'muted',
  running: 'run',
  done: 'ok',
  failed: 'err',
  deadlocked: 'err',
  escalated: 'esc',
  skipped: 'muted',
  completed: 'ok',
  stopped: 'warn',
  blocked: 'err',
  interrupted: 'warn',
  COMMIT: 'ok',
  RETRY: 'warn',
  DEADLOCK: 'err',
  ESCALATE: 'esc',
  INTERRUPTED: 'warn',
};

/** The colour family a task status, session status or attempt decision is shown in. */
export function statusTone(options: {
  status: TaskStatus | SessionSummary['status'] | Decision | 'INTERRUPTED';
}): Tone {
  return tones[options.status];
}
