import type { EngineEvent } from '../../shared/engineEventSchema.js';
import { EnvironmentUnavailableError, type EnvironmentComponent } from '../../shared/EnvironmentUnavailableError.js';
import type { Clock } from '../ports/Clock.js';
import type { Store } from '../ports/Store.js';
import type { PreflightCheck } from '../preflight/PreflightCheck.js';
import type { TaskOutcome } from './phases/TaskOutcome.js';
import { waitForEnvironment } from './waitForEnvironment.js';

/** Why the session gave up waiting for its environment. */
export interface EnvironmentOutage {
  /** What failed, in one sentence. */
  reason: string;
  /** What to do about it. */
  fix: string;
  component: EnvironmentComponent;
  /** The last re-check, when one ran. */
  lastCheck: PreflightCheck | null;
  tries: number;
  /** When the session paused, epoch milliseconds. */
  since: number;
}

/**
 * Runs a task; when the environment fails under it (runTask throws `EnvironmentUnavailableError` after
 * marking the attempt INTERRUPTED), the task goes back to queued, the session is `blocked` with the reason,
 * and the failed part is re-checked with backoff until `waitMs` (or `until`) passes. When it is back the
 * session runs again and the task starts over; otherwise the outage is returned and the task stays queued.
 */
export async function runTaskThroughOutages(options: {
  /** Runs the task once, with fresh records. */
  run: () => Promise<TaskOutcome>;
  store: Store;
  clock: Clock;
  sessionId: string;
  taskRunId: number;
  emit: (event: EngineEvent) => void;
  /** The relevant preflight check for a part of the environment: the first that fails, or null. */
  recheck: (component: EnvironmentComponent) => Promise<PreflightCheck | null>;
  /** Longest wait per outage in milliseconds. */
  waitMs: number;
  /** No waiting past this time, epoch milliseconds (`--until`). */
  until?: number;
  signal?: AbortSignal;
}): Promise<{ outcome: TaskOutcome } | { outage: EnvironmentOutage }> {
  const { store, clock, emit } = options;
  for (;;) {
    try {
      return { outcome: await options.run() };
    } catch (error) {
      if (!(error instanceof EnvironmentUnavailableError) || options.signal?.aborted) throw error;
      const since = clock.now();
      const reason = `${error.message} Fix: ${error.hint}`;
      store.updateTaskRun(options.taskRunId, { status: 'queued' });
      store.updateSession(options.sessionId, { status: 'blocked', reason });
      const deadline = Math.min(since + options.waitMs, options.until ?? Number.POSITIVE_INFINITY);
      emit({
        type: 'log',
        at: since,
        level: 'warn',
        message: `Session blocked by the environment (${error.component}): ${error.message} The task stays queued; re-checking for up to ${formatMinutes(deadline - since)}. Fix: ${error.hint}`,
      });
      const waited = await waitForEnvironment({
        check: () => options.recheck(error.component),
        clock,
        deadline,
        ...(options.signal ? { signal: options.signal } : {}),
        onRetry: ({ tries, failed, nextDelayMs }) =>
          emit({
            type: 'log',
            at: clock.now(),
            level: 'warn',
            message: `Still blocked after re-check ${tries}: ${failed.title}: ${failed.detail.split('\n')[0] ?? ''}${nextDelayMs === null ? '' : `; next re-check in ${Math.round(nextDelayMs / 1000)} s`}`,
          }),
      });
      if (!waited.recovered) {
        return { outage: { reason: error.message, fix: error.hint, component: error.component, lastCheck: waited.last, tries: waited.tries, since } };
      }
      store.updateSession(options.sessionId, { status: 'running', reason: '' });
      store.updateTaskRun(options.taskRunId, { status: 'running' });
      emit({ type: 'log', at: clock.now(), level: 'info', message: `The environment is back after ${formatMinutes(clock.now() - since)}; the task starts over.` });
    }
  }
}

function formatMinutes(ms: number): string {
  return ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`;
}
