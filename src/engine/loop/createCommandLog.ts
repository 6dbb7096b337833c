import type { EngineEvent } from '../../shared/engineEventSchema.js';
import type { PhaseName } from '../../shared/phaseName.js';
import type { Clock } from '../ports/Clock.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { Store } from '../ports/Store.js';
import { createRecordingSandbox } from './createRecordingSandbox.js';

/**
 * Records every command a session runs in its sandbox, with its duration, in the store and as a
 * `command/finished` event. The attempt and phase a command belongs to are read from the events the task
 * loop emits (pass them through the returned `emit`), so rails and helpers that run commands need no ids.
 */
export function createCommandLog(options: {
  store: Store;
  clock: Clock;
  sessionId: string;
  /** The session's sandbox. */
  sandbox: Sandbox;
  /** Where events go once the log has looked at them. */
  emit: (event: EngineEvent) => void;
}): {
  /** The session's sandbox, recording each run. */
  sandbox: Sandbox;
  /** Forwards events to `options.emit`, following which attempt and phase are running. */
  emit: (event: EngineEvent) => void;
} {
  const { store, clock, sessionId } = options;
  // An attempt stays current until the next one starts: delivery runs after the decision. Commands a task
  // runs before its first attempt (the suite's baseline) belong to the task alone.
  let taskRunId: number | null = null;
  let attempt: { taskRunId: number; number: number; id: number | null } | null = null;
  let phase: PhaseName | null = null;

  const emit = (event: EngineEvent) => {
    if (event.type === 'task/started') {
      taskRunId = event.taskRunId;
      attempt = null;
      phase = null;
    } else if (event.type === 'attempt/started') {
      const record = store.listAttempts(event.taskRunId).find((candidate) => candidate.number === event.attempt);
      attempt = { taskRunId: event.taskRunId, number: event.attempt, id: record?.id ?? null };
      phase = null;
    } else if (event.type === 'phase/started') {
      phase = event.phase;
    } else if (event.type === 'phase/finished') {
      phase = null;
    }
    options.emit(event);
  };

  const sandbox = createRecordingSandbox({
    sandbox: options.sandbox,
    now: () => clock.now(),
    onRun: (run) => {
      store.recordCommand({
        sessionId,
        taskRunId: attempt?.taskRunId ?? taskRunId,
        attemptId: attempt?.id ?? null,
        phase,
        label: run.label ?? null,
        command: run.command,
        sandbox: options.sandbox.kind,
        outcome: run.outcome,
        exitCode: run.exitCode,
        durationMs: run.durationMs,
        startedAt: run.startedAt,
      });
      options.emit({
        type: 'command/finished',
        at: clock.now(),
        ...(attempt ? { taskRunId: attempt.taskRunId, attempt: attempt.number } : taskRunId === null ? {} : { taskRunId }),
        ...(run.label === undefined ? {} : { label: run.label }),
        command: run.command,
        durationMs: run.durationMs,
        outcome: run.outcome,
        exitCode: run.exitCode,
      });
    },
  });

  return { sandbox, emit };
}
