import { z } from 'zod';
import { engineEventSchema } from './engineEventSchema.js';
import { nightshiftErrorDataSchema } from './nightshiftErrorDataSchema.js';
import { taskSpecSchema } from './taskSpecSchema.js';
import { taskStatusSchema } from './taskStatus.js';

/*
 * The channel between a host's session supervisor and the engine process it starts (a Node child for
 * `nightshift serve`, an Electron utilityProcess in the app). One process runs one `run` and exits after
 * answering `finished` or `failed`; an exit without either is a crash. Both sides validate what they receive,
 * since a version mismatch between the bundles would otherwise show up as undefined fields deep in the loop.
 */

/** Everything `runSession` and the engine's assembly need, as the supervisor resolved it from the project's settings. */
export const engineRunOptionsSchema = z
  .object({
    /** Nightshift's data directory (database, workspaces, reports, locks), already resolved. */
    dataDir: z.string().min(1),
    /** Real path of the repository root. */
    projectDir: z.string().min(1),
    /** The project's backlog from the database, in order; ignored when an unfinished session is resumed. */
    tasks: z.array(taskSpecSchema),
    /** Start at most this many tasks in this run (0 after a restart that found the budget spent); null: all. */
    maxTasks: z.number().int().nonnegative().nullable(),
    /** Attempts per task; null: nightshift.json's `maxAttempts`. */
    maxAttempts: z.number().int().positive().nullable(),
    /** Start no task after this time, epoch milliseconds; null: no end. */
    until: z.number().int().nullable(),
    mode: z.enum(['branch', 'direct']),
    /** The branch `direct` fast-forwards; null in branch mode. */
    targetBranch: z.string().min(1).nullable(),
    /** Resume the project's unfinished session when there is one. */
    resume: z.boolean(),
    /** Also run tasks earlier sessions delivered unchanged. */
    again: z.boolean(),
    allowFailingBaseline: z.boolean(),
    /** The `better_sqlite3.node` built for the engine process's runtime (Electron's in the app); null: the package's own Node build. */
    nativeBinding: z.string().min(1).nullable(),
    models: z
      .object({
        /** As `--models` takes it; relative paths resolve against the project directory. */
        spec: z.string().min(1),
        /** Catalog profile for `local`; null: the largest tier that fits. */
        profile: z.string().min(1).nullable(),
      })
      .strict(),
    sandbox: z
      .object({
        /** Null: nightshift.json's `sandbox`. */
        preference: z.enum(['auto', 'docker', 'native', 'local']).nullable(),
        allowUnsandboxed: z.boolean(),
      })
      .strict(),
  })
  .strict();

export type EngineRunOptions = z.infer<typeof engineRunOptionsSchema>;

/** What the supervisor sends the engine process. */
export const engineParentMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), options: engineRunOptionsSchema }).strict(),
  /** Stop after the current step; the running task goes back to the queue and the session stays resumable. */
  z.object({ type: z.literal('stop') }).strict(),
]);

export type EngineParentMessage = z.infer<typeof engineParentMessageSchema>;

/** What the engine process sends back. */
export const engineChildMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: engineEventSchema }).strict(),
  /** The run ended (completed, stopped between steps, or blocked by the environment) and is recorded. */
  z
    .object({
      type: z.literal('finished'),
      sessionId: z.string(),
      status: z.enum(['completed', 'stopped', 'failed', 'blocked']),
      counts: z.record(taskStatusSchema, z.number().int()),
      /** Why the session ended `blocked`, with the fix; null otherwise. */
      blockedReason: z.string().nullable(),
    })
    .strict(),
  /** The run was refused or failed (bad repository, lock held, backlog already delivered, a bug). */
  z.object({ type: z.literal('failed'), error: nightshiftErrorDataSchema }).strict(),
]);

export type EngineChildMessage = z.infer<typeof engineChildMessageSchema>;
