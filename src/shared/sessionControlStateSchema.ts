import { z } from 'zod';
import { nightshiftErrorDataSchema } from './nightshiftErrorDataSchema.js';

/**
 * What the host's session supervisor is doing for one project, pushed as a `control/state` event on every
 * change and answered by `session/control`. Times are epoch milliseconds.
 */
export const sessionControlStateSchema = z
  .object({
    /** Real path of the project's repository root. */
    projectPath: z.string(),
    /**
     * `scheduled`: waiting for its start time. `starting`: the engine process is coming up. `running`.
     * `pausing`/`stopping`: finishing the current step. `paused`: stopped between steps, resumable.
     * `restarting`: the engine process died and is being started again. `idle`: nothing runs (after a
     * stop, or when the session ended; `error` says why when it failed).
     */
    state: z.enum(['idle', 'scheduled', 'starting', 'running', 'pausing', 'paused', 'stopping', 'restarting']),
    /** The session being run; null before the engine has started or resumed one. */
    sessionId: z.string().nullable(),
    /** When a scheduled session starts; null when it starts now. */
    startsAt: z.number().int().nullable(),
    /** When the session stops cleanly (no task starts after it, the running step finishes); null: no end time. */
    until: z.number().int().nullable(),
    /** The task running now, 1-based among the session's tasks; null between tasks. */
    task: z
      .object({
        index: z.number().int().positive(),
        total: z.number().int().nonnegative(),
        taskRunId: z.number().int(),
        taskId: z.string(),
        title: z.string(),
      })
      .nullable(),
    /** How many times the engine process was restarted after a crash during this run. */
    engineRestarts: z.number().int().nonnegative(),
    /** Why the last run ended in failure (engine crashed too often, preflight blocked, bad settings); null otherwise. */
    error: nightshiftErrorDataSchema.nullable(),
    updatedAt: z.number().int(),
  })
  .strict();

export type SessionControlState = z.infer<typeof sessionControlStateSchema>;
