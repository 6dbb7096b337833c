import { z } from 'zod';
import { decisionSchema } from './decision.js';
import { failureTypeSchema } from './failureType.js';
import { modelRoleSchema } from './modelRole.js';
import { phaseNameSchema } from './phaseName.js';
import { railResultSchema } from './railResultSchema.js';
import { sessionControlStateSchema } from './sessionControlStateSchema.js';
import { taskStatusSchema } from './taskStatus.js';

const base = { at: z.number().int() };

/** Progress events consumed by the CLI, the desktop app and logs. `at` is epoch milliseconds. */
export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('session/started'),
    sessionId: z.string(),
    projectPath: z.string(),
    branch: z.string(),
    taskCount: z.number().int(),
    resumed: z.boolean(),
    sandbox: z.string(),
    isolated: z.boolean(),
  }),
  z.object({ ...base, type: z.literal('task/started'), sessionId: z.string(), taskRunId: z.number().int(), taskId: z.string(), title: z.string() }),
  z.object({ ...base, type: z.literal('attempt/started'), taskRunId: z.number().int(), attempt: z.number().int(), maxAttempts: z.number().int() }),
  z.object({ ...base, type: z.literal('phase/started'), taskRunId: z.number().int(), attempt: z.number().int(), phase: phaseNameSchema }),
  z.object({
    ...base,
    type: z.literal('phase/finished'),
    taskRunId: z.number().int(),
    attempt: z.number().int(),
    phase: phaseNameSchema,
    ok: z.boolean(),
    detail: z.string(),
  }),
  z.object({ ...base, type: z.literal('rail/result'), taskRunId: z.number().int(), attempt: z.number().int(), rail: railResultSchema }),
  z.object({
    ...base,
    type: z.literal('command/finished'),
    /** The task run and attempt the command ran for; absent for session-level commands. */
    taskRunId: z.number().int().optional(),
    attempt: z.number().int().optional(),
    /** What the command was for, e.g. `bite:without-code`; absent when the caller did not say. */
    label: z.string().optional(),
    command: z.string(),
    durationMs: z.number().int().nonnegative(),
    outcome: z.enum(['exited', 'timeout', 'cancelled', 'spawn-error']),
    exitCode: z.number().int().nullable(),
  }),
  z.object({ ...base, type: z.literal('model/token'), taskRunId: z.number().int(), role: modelRoleSchema, text: z.string() }),
  z.object({
    ...base,
    type: z.literal('attempt/decided'),
    taskRunId: z.number().int(),
    attempt: z.number().int(),
    decision: decisionSchema,
    failureType: failureTypeSchema.optional(),
    fingerprint: z.string().optional(),
    reason: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('task/finished'),
    taskRunId: z.number().int(),
    taskId: z.string(),
    status: taskStatusSchema,
    reason: z.string(),
    commit: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('session/finished'),
    sessionId: z.string(),
    status: z.enum(['completed', 'stopped', 'failed', 'blocked']),
    counts: z.record(taskStatusSchema, z.number().int()),
    branch: z.string(),
    headCommit: z.string().nullable(),
  }),
  /** The attempt's combined change (test and code) as a unified diff, once the coder has written it. */
  z.object({ ...base, type: z.literal('attempt/diff'), taskRunId: z.number().int(), attempt: z.number().int(), diff: z.string() }),
  /** A child process of the host died unexpectedly; `restarting` says whether the host starts it again. */
  z.object({
    ...base,
    type: z.literal('process/crashed'),
    process: z.enum(['engine', 'model-host']),
    projectPath: z.string().optional(),
    sessionId: z.string().nullable().optional(),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    /** The crash's last words (stderr tail) or the supervisor's explanation. */
    detail: z.string(),
    restarting: z.boolean(),
  }),
  z.object({ ...base, type: z.literal('process/restarted'), process: z.enum(['engine', 'model-host']), projectPath: z.string().optional(), sessionId: z.string().nullable().optional() }),
  /** The session supervisor's state for a project changed. */
  z.object({ ...base, type: z.literal('control/state'), state: sessionControlStateSchema }),
  /**
   * A model file download in the host (`models/files/download`): sent about four times a second while it
   * runs, and once on each change of state.
   */
  z.object({
    ...base,
    type: z.literal('models/download'),
    modelId: z.string(),
    state: z.enum(['running', 'paused', 'done', 'failed', 'cancelled']),
    /** Bytes of the file on disk, including those kept from an earlier, paused or failed try. */
    receivedBytes: z.number().int().nonnegative(),
    /** Full size of the file; null when the server does not say. */
    totalBytes: z.number().int().nonnegative().nullable(),
    /** Average rate of this try so far. */
    bytesPerSecond: z.number().nonnegative(),
    /** Seconds left at that rate; null when the size or the rate is not known yet. */
    secondsLeft: z.number().int().nonnegative().nullable(),
    /** Why it failed, with what to do about it; null unless `failed`. */
    error: z.object({ code: z.string(), message: z.string(), hint: z.string() }).nullable(),
  }),
  /** Text a `models/try` prompt generated, in order; `tryId` is the request's. */
  z.object({ ...base, type: z.literal('models/try-token'), tryId: z.string(), text: z.string() }),
  /** A `models/try` prompt finished: its figures (ModelTryResult in protocol.ts), milliseconds. */
  z.object({
    ...base,
    type: z.literal('models/try-finished'),
    tryId: z.string(),
    modelId: z.string(),
    role: modelRoleSchema,
    text: z.string(),
    promptTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    timeToFirstTokenMs: z.number().nonnegative().nullable(),
    /** Output tokens per second after the first; null with fewer than two tokens. */
    tokensPerSecond: z.number().nonnegative().nullable(),
    durationMs: z.number().nonnegative(),
  }),
  z.object({ ...base, type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
]);

export type EngineEvent = z.infer<typeof engineEventSchema>;
