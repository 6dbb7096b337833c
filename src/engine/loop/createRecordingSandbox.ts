import type { Sandbox, SandboxResult } from '../../shared/sandbox/Sandbox.js';

/** One finished sandbox run, as `createRecordingSandbox` reports it. */
export interface SandboxRunRecord {
  /** The run's `label`, when the caller gave one. */
  label: string | undefined;
  command: string;
  outcome: SandboxResult['outcome'];
  exitCode: number | null;
  /** Wall-clock time of the whole `run` call, including the sandbox's own work around the command, in whole milliseconds. */
  durationMs: number;
  /** Epoch milliseconds when `run` was called. */
  startedAt: number;
}

/**
 * Wraps a sandbox so that every run is timed and reported to `onRun` once it has finished (also when it
 * ends in a timeout, a cancellation or a spawn error). A run that throws is reported as a spawn error and
 * the error is passed on. Everything else is the wrapped sandbox's.
 */
export function createRecordingSandbox(options: {
  /** The sandbox that runs the commands. */
  sandbox: Sandbox;
  /** Called once per run, after it finished and before its result is returned. */
  onRun: (record: SandboxRunRecord) => void;
  /** Epoch milliseconds for `startedAt`. Default `Date.now`. */
  now?: () => number;
}): Sandbox {
  const { sandbox, onRun } = options;
  const now = options.now ?? Date.now;
  return {
    kind: sandbox.kind,
    isolated: sandbox.isolated,
    async run(run) {
      const startedAt = now();
      // A monotonic clock, so a wall-clock jump during a long test run does not give a negative duration.
      const started = performance.now();
      const report = (result: Pick<SandboxResult, 'outcome' | 'exitCode'>) =>
        onRun({
          label: run.label,
          command: run.command,
          outcome: result.outcome,
          exitCode: result.exitCode,
          durationMs: Math.round(performance.now() - started),
          startedAt,
        });
      let result: SandboxResult;
      try {
        result = await sandbox.run(run);
      } catch (error) {
        report({ outcome: 'spawn-error', exitCode: null });
        throw error;
      }
      report(result);
      return result;
    },
    dispose: () => sandbox.dispose(),
  };
}
