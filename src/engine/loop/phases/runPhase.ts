import type { PhaseName } from '../../../shared/phaseName.js';
import { AttemptFailed } from './AttemptFailed.js';
import { describeError } from './describeError.js';
import type { PhaseResult } from './PhaseResult.js';
import type { TaskContext } from './TaskContext.js';

/** Runs one phase of an attempt between its started and finished events, and records how it went. */
export async function runPhase<T>(options: {
  ctx: TaskContext;
  /** The attempt's record id. */
  attemptId: number;
  /** The attempt's number, 1-based. */
  attempt: number;
  name: PhaseName;
  body: () => Promise<PhaseResult<T>>;
}): Promise<T> {
  const { ctx, attemptId, attempt, name } = options;
  const { store, clock, taskRun } = ctx;
  const phaseStart = clock.now();
  ctx.emit({ type: 'phase/started', at: phaseStart, taskRunId: taskRun.id, attempt, phase: name });
  try {
    const { value, detail } = await options.body();
    store.recordPhase({ attemptId, phase: name, ok: true, detail, startedAt: phaseStart, endedAt: clock.now() });
    ctx.emit({ type: 'phase/finished', at: clock.now(), taskRunId: taskRun.id, attempt, phase: name, ok: true, detail });
    return value;
  } catch (error) {
    const detail = error instanceof AttemptFailed ? error.failure.feedback : describeError(error);
    store.recordPhase({ attemptId, phase: name, ok: false, detail, startedAt: phaseStart, endedAt: clock.now() });
    ctx.emit({ type: 'phase/finished', at: clock.now(), taskRunId: taskRun.id, attempt, phase: name, ok: false, detail });
    throw error;
  }
}
