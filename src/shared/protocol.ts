import { z } from 'zod';
import type { Decision } from './decision.js';
import type { EngineEvent } from './engineEventSchema.js';
import type { FailureType } from './failureType.js';
import type { ModelRole } from './modelRole.js';
import type { PhaseName } from './phaseName.js';
import type { RailResult } from './railResultSchema.js';
import type { TaskSpec } from './taskSpecSchema.js';
import type { TaskStatus } from './taskStatus.js';
import type { NightshiftErrorData } from './NightshiftErrorData.js';

/*
 * The contract between the user interface and whatever hosts the engine: Electron's main process over IPC
 * today, `nightshift serve` over HTTP later. Requests cross a trust boundary, so each has a zod schema the
 * host validates with; responses are produced by the host itself and are plain types.
 */

/** A project as the host knows it after `project/open`. */
export interface ProjectInfo {
  id: number;
  /** Absolute, real path of the repository root. */
  path: string;
  name: string;
}

/** One night's run, as listed in the morning review. Times are epoch milliseconds. */
export interface SessionSummary {
  id: string;
  /** Absolute path of the repository the session worked on; empty when the host cannot tell. */
  projectPath: string;
  status: 'running' | 'completed' | 'stopped' | 'failed' | 'blocked' | 'interrupted';
  /** Branch that received the session's commits. */
  branch: string;
  startedAt: number;
  /** Null while the session is running (or was cut short by a crash). */
  endedAt: number | null;
  /** How many of the session's tasks are in each status; every status is present. */
  counts: Record<TaskStatus, number>;
}

/** A session with what it ran on, for the session header. */
export interface SessionDetail extends SessionSummary {
  mode: 'branch' | 'direct';
  baseCommit: string;
  /** Commit the delivery branch points to after the last delivered task, or null before the first. */
  headCommit: string | null;
  sandbox: string;
  sandboxIsolated: boolean;
  models: Record<ModelRole, { model: string; backend: string }>;
}

/** One task within a session (a task run). */
export interface TaskRunSummary {
  /** The task run's id, used by `task/explain`. */
  id: number;
  /** The task's id in the backlog, e.g. `T1`. */
  taskId: string;
  title: string;
  status: TaskStatus;
  /** Why it ended as it did; empty while queued or running. */
  reason: string;
  attempts: number;
  commit: string | null;
}

/** One attempt at a task, with the phases it went through and the rails' verdicts. */
export interface AttemptSummary {
  /** 1-based. */
  number: number;
  /** Null while running; `INTERRUPTED` when a crash cut it short. */
  decision: Decision | 'INTERRUPTED' | null;
  failureType: FailureType | null;
  fingerprint: string | null;
  /** Gate and review feedback handed to the next attempt. */
  feedback: string;
  startedAt: number;
  endedAt: number | null;
  phases: Array<{ phase: PhaseName; ok: boolean; detail: string }>;
  rails: RailResult[];
}

/** Everything the review screen shows about one task run. */
export interface TaskExplanationSummary {
  taskRun: TaskRunSummary & { sessionId: string; description: string };
  /** The explanation as plain text, the same story `nightshift explain` tells. */
  text: string;
  attempts: AttemptSummary[];
}

const projectOpenRequestSchema = z
  .object({
    /** Path of a git repository's root folder; relative paths resolve against the host's cwd. */
    path: z.string().min(1),
  })
  .strict();

const sessionListRequestSchema = z
  .object({
    /** Only sessions of the project at this path. Default: every project's sessions. */
    projectPath: z.string().min(1).optional(),
  })
  .strict();

const sessionGetRequestSchema = z.object({ id: z.string().min(1) }).strict();

const taskExplainRequestSchema = z.object({ taskRunId: z.number().int().positive() }).strict();

const auditExportRequestSchema = z
  .object({
    /** Only this session's task runs. Default: every session. */
    sessionId: z.string().min(1).optional(),
  })
  .strict();

/**
 * A backlog task as a form sends it. Id and title are plain strings here so that an empty or malformed one
 * reaches the host's backlog check, which refuses it naming the field, instead of failing the request as a whole.
 */
const backlogTaskSchema = z
  .object({
    /** Stable id within the backlog, e.g. `T1`. */
    id: z.string(),
    title: z.string(),
    /** Free text: the ask the reviewer must quote from. */
    description: z.string(),
    /** Ids of tasks of the same backlog that must be committed first. */
    dependsOn: z.array(z.string()),
    /** Files the task may change, relative to the repository root; empty lets the planner choose. */
    targetFiles: z.array(z.string()),
    /** Overrides the project's test command for this task. */
    testCommand: z.string().min(1).optional(),
  })
  .strict();

/** A project the host has opened, by its path; every backlog message names one. */
const projectPathSchema = z.string().min(1);

const backlogListRequestSchema = z.object({ projectPath: projectPathSchema }).strict();

const backlogSaveRequestSchema = z
  .object({
    projectPath: projectPathSchema,
    task: backlogTaskSchema,
    /** The id the task had before this edit, when it is edited; absent for a new task. */
    previousId: z.string().min(1).optional(),
  })
  .strict();

const backlogDeleteRequestSchema = z.object({ projectPath: projectPathSchema, taskId: z.string().min(1) }).strict();

const backlogReorderRequestSchema = z
  .object({
    projectPath: projectPathSchema,
    /** Every task id of the backlog, once each, in the new order. */
    taskIds: z.array(z.string().min(1)),
  })
  .strict();

const backlogImportRequestSchema = z
  .object({
    projectPath: projectPathSchema,
    /** `tasks-md`: the TASKS.md format; `prd`: requirements picked out of a product requirements document. */
    format: z.enum(['tasks-md', 'prd']),
    /** The document's markdown. */
    text: z.string(),
  })
  .strict();

const backlogExportRequestSchema = z.object({ projectPath: projectPathSchema }).strict();

/** Message name (`noun/verb`) to `[request, response]`. */
export interface Protocol {
  'project/open': [z.infer<typeof projectOpenRequestSchema>, ProjectInfo];
  'session/list': [z.infer<typeof sessionListRequestSchema>, SessionSummary[]];
  'session/get': [z.infer<typeof sessionGetRequestSchema>, { session: SessionDetail; tasks: TaskRunSummary[] }];
  'task/explain': [z.infer<typeof taskExplainRequestSchema>, TaskExplanationSummary];
  /** JSON Lines: one audit record per task run, each line ending in a newline; `''` when there are none. */
  'audit/export': [z.infer<typeof auditExportRequestSchema>, { jsonl: string }];
  /** The project's backlog in order. */
  'backlog/list': [z.infer<typeof backlogListRequestSchema>, TaskSpec[]];
  /** Adds or edits one task; refused with `BACKLOG_TASK_INVALID` and `context.field` naming the input at fault. */
  'backlog/save': [z.infer<typeof backlogSaveRequestSchema>, TaskSpec[]];
  /** Refused while other tasks depend on it. */
  'backlog/delete': [z.infer<typeof backlogDeleteRequestSchema>, TaskSpec[]];
  'backlog/reorder': [z.infer<typeof backlogReorderRequestSchema>, TaskSpec[]];
  /** Replaces the backlog with the document's tasks. */
  'backlog/import': [z.infer<typeof backlogImportRequestSchema>, TaskSpec[]];
  /** The backlog in the TASKS.md format. */
  'backlog/export': [z.infer<typeof backlogExportRequestSchema>, { text: string }];
}

export type ProtocolName = keyof Protocol;
export type ProtocolRequest<K extends ProtocolName> = Protocol[K][0];
export type ProtocolResponse<K extends ProtocolName> = Protocol[K][1];

/** Every message name, for hosts that register a handler per message and bridges that check names. */
export const protocolNames = [
  'project/open',
  'session/list',
  'session/get',
  'task/explain',
  'audit/export',
  'backlog/list',
  'backlog/save',
  'backlog/delete',
  'backlog/reorder',
  'backlog/import',
  'backlog/export',
] as const satisfies readonly ProtocolName[];

/** The schema each request is validated with where it enters a host. */
export const protocolRequestSchemas = {
  'project/open': projectOpenRequestSchema,
  'session/list': sessionListRequestSchema,
  'session/get': sessionGetRequestSchema,
  'task/explain': taskExplainRequestSchema,
  'audit/export': auditExportRequestSchema,
  'backlog/list': backlogListRequestSchema,
  'backlog/save': backlogSaveRequestSchema,
  'backlog/delete': backlogDeleteRequestSchema,
  'backlog/reorder': backlogReorderRequestSchema,
  'backlog/import': backlogImportRequestSchema,
  'backlog/export': backlogExportRequestSchema,
} as const satisfies { [K in ProtocolName]: z.ZodType<ProtocolRequest<K>> };

/** A failed call as it crosses a process boundary: the error's `NightshiftError.toJSON()` form. */
export type ProtocolFailure = NightshiftErrorData;

/**
 * What a host answers to every call. Errors travel as data because Electron's IPC and HTTP both flatten
 * thrown errors to a message, losing `code` and `hint`.
 */
export type ProtocolResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolFailure };

/** True when `name` is one of the protocol's message names. */
export function isProtocolName(name: unknown): name is ProtocolName {
  return typeof name === 'string' && (protocolNames as readonly string[]).includes(name);
}

/** The Electron IPC channel that carries a message. */
export function protocolChannel(name: ProtocolName): `nightshift:${ProtocolName}` {
  return `nightshift:${name}`;
}

/** The Electron IPC channel that carries engine events from the main process to the window. */
export const eventChannel = 'nightshift:events';

/** The HTTP path a browser posts a message's request to. */
export function protocolHttpPath(name: ProtocolName): `/api/${ProtocolName}` {
  return `/api/${name}`;
}

/** The HTTP path of the server-sent event stream of engine events. */
export const eventHttpPath = '/api/events';

/** What the Electron preload script exposes to the window as `window.nightshift`. */
export interface NightshiftBridge {
  invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResult<ProtocolResponse<K>>>;
  /** Calls `listener` with each engine event the host pushes; returns a function that stops it. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
}
