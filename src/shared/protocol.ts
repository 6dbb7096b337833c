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
import { projectSettingsSchema, type ProjectSettings } from './projectSettingsSchema.js';
import type { SessionControlState } from './sessionControlStateSchema.js';

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

/** A project in the recent-projects list, most recently opened first. */
export interface ProjectSummary extends ProjectInfo {
  /** When the project was last opened in the app or run, epoch milliseconds. */
  lastOpenedAt: number;
  /** Sessions recorded for it. */
  sessions: number;
  /** Tasks in its backlog. */
  backlogTasks: number;
  /** False when the folder is gone or no longer a git repository; such a project can only be forgotten. */
  available: boolean;
}

/** The suite at HEAD, run in the sandbox the sessions will use. */
export interface BaselineSummary {
  /** The commit the suite ran at. */
  commit: string;
  /** True when every collected test passed (or the runner exited 0 for a command without a report). */
  ok: boolean;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  /** Ids of the tests that failed or errored, at most 50. */
  failing: string[];
  /** The command that ran and the tail of its output (stdout then stderr), at most 64 KiB. */
  command: string;
  output: string;
  /** Where it ran, e.g. `docker (nightshift/python:...)` or `bubblewrap`. */
  sandbox: string;
  ranAt: number;
  durationMs: number;
  /** What to do about a failing or unrunnable baseline; null when it passed. */
  hint: string | null;
}

/** What the Projects view shows for one project. */
export interface ProjectDetails {
  project: ProjectSummary;
  git: {
    /** HEAD's branch, or null when HEAD is detached or the repository has no commit. */
    branch: string | null;
    /** HEAD's commit, or null in a repository with no commit yet (sessions need one). */
    head: string | null;
    /** Changed or untracked files in the working tree (sessions work on a private copy, so these are not touched). */
    dirtyFiles: number;
    /** Things that stop or weaken a session, each a sentence with its fix (no commit, detached HEAD, submodules, LFS). */
    problems: string[];
  };
  stack: {
    /** The detected language or toolchain, e.g. `python`, `node`, `typescript`. */
    language: string;
    /** The full-suite command sessions run; null when none could be detected or configured. */
    testCommand: string | null;
    /** Where the command comes from: `nightshift.json`, or the files it was detected from. */
    source: string;
  };
  /** The project's nightshift.json as read (shown, never written by the app). */
  config: {
    present: boolean;
    /** The file's own fields, as written. */
    values: Record<string, unknown>;
    /** Why the file is refused (bad JSON, unknown field); null when it is valid or absent. */
    error: NightshiftErrorData | null;
  };
  /** The sandbox a session started now would use. */
  sandbox: {
    kind: string;
    isolated: boolean;
    /** One line: the image or tool and why it was chosen. */
    detail: string;
    /** Why no acceptable sandbox is available; null when one is. */
    error: NightshiftErrorData | null;
  };
  /** The settings sessions started from the app use. */
  settings: ProjectSettings;
  /** The last baseline check of this project at any commit; null before the first. */
  baseline: BaselineSummary | null;
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
  /** The attempt's change (tests and code) as a unified diff; empty when it ended before the coder wrote one. */
  diff: string;
  phases: Array<{ phase: PhaseName; ok: boolean; detail: string; startedAt: number; endedAt: number | null }>;
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

const projectListRequestSchema = z.object({}).strict();

const projectInspectRequestSchema = z.object({ projectPath: projectPathSchema }).strict();

const projectBaselineRequestSchema = z.object({ projectPath: projectPathSchema }).strict();

const projectSettingsSaveRequestSchema = z.object({ projectPath: projectPathSchema, settings: projectSettingsSchema }).strict();

const projectForgetRequestSchema = z.object({ projectPath: projectPathSchema }).strict();

/** A local wall-clock time, `HH:MM` in 24-hour form. */
const clockTimeSchema = z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, for example 23:00');

const sessionStartRequestSchema = z
  .object({
    projectPath: projectPathSchema,
    /** Local time to start at (the next time it comes, today or tomorrow); absent: now. */
    startAt: clockTimeSchema.optional(),
    /** Local time to stop at cleanly (after `startAt` when both are given, so 23:00 to 07:00 spans midnight); absent: no end. */
    until: clockTimeSchema.optional(),
    /** The settings for this session; absent: the project's saved settings. */
    settings: projectSettingsSchema.optional(),
    /** Resume the project's unfinished session when there is one. Default true. */
    resume: z.boolean().optional(),
    /** Also run tasks earlier sessions delivered unchanged. Default false. */
    again: z.boolean().optional(),
  })
  .strict();

const sessionProjectRequestSchema = z.object({ projectPath: projectPathSchema }).strict();

const sessionControlRequestSchema = z
  .object({
    /** Only this project's state. Default: every project the supervisor knows. */
    projectPath: projectPathSchema.optional(),
  })
  .strict();

/** Message name (`noun/verb`) to `[request, response]`. */
export interface Protocol {
  'project/open': [z.infer<typeof projectOpenRequestSchema>, ProjectInfo];
  /** Recent projects, most recently opened first. */
  'project/list': [z.infer<typeof projectListRequestSchema>, ProjectSummary[]];
  /** Stack, repository state, nightshift.json, sandbox, settings and last baseline of an opened project. */
  'project/inspect': [z.infer<typeof projectInspectRequestSchema>, ProjectDetails];
  /** Runs the suite at HEAD in the sandbox sessions would use and records the result. */
  'project/baseline': [z.infer<typeof projectBaselineRequestSchema>, BaselineSummary];
  /** Saves the project's session settings in the database; refused with `context.field` naming the input at fault. */
  'project/settings': [z.infer<typeof projectSettingsSaveRequestSchema>, ProjectDetails];
  /** Removes the project from the recent list; its sessions and records stay. */
  'project/forget': [z.infer<typeof projectForgetRequestSchema>, ProjectSummary[]];
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
  /** Starts (or schedules) a session of the project's backlog in the engine process. Refused while one runs. */
  'session/start': [z.infer<typeof sessionStartRequestSchema>, SessionControlState];
  /** Stops after the current step, keeping the session resumable. */
  'session/pause': [z.infer<typeof sessionProjectRequestSchema>, SessionControlState];
  /** Continues a paused (or interrupted) session. */
  'session/resume': [z.infer<typeof sessionProjectRequestSchema>, SessionControlState];
  /** Stops after the current step (or cancels a scheduled start); the session is recorded `stopped`. */
  'session/stop': [z.infer<typeof sessionProjectRequestSchema>, SessionControlState];
  /** What the supervisor is doing, per project. */
  'session/control': [z.infer<typeof sessionControlRequestSchema>, SessionControlState[]];
}

export type ProtocolName = keyof Protocol;
export type ProtocolRequest<K extends ProtocolName> = Protocol[K][0];
export type ProtocolResponse<K extends ProtocolName> = Protocol[K][1];

/** Every message name, for hosts that register a handler per message and bridges that check names. */
export const protocolNames = [
  'project/open',
  'project/list',
  'project/inspect',
  'project/baseline',
  'project/settings',
  'project/forget',
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
  'session/start',
  'session/pause',
  'session/resume',
  'session/stop',
  'session/control',
] as const satisfies readonly ProtocolName[];

/** The schema each request is validated with where it enters a host. */
export const protocolRequestSchemas = {
  'project/open': projectOpenRequestSchema,
  'project/list': projectListRequestSchema,
  'project/inspect': projectInspectRequestSchema,
  'project/baseline': projectBaselineRequestSchema,
  'project/settings': projectSettingsSaveRequestSchema,
  'project/forget': projectForgetRequestSchema,
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
  'session/start': sessionStartRequestSchema,
  'session/pause': sessionProjectRequestSchema,
  'session/resume': sessionProjectRequestSchema,
  'session/stop': sessionProjectRequestSchema,
  'session/control': sessionControlRequestSchema,
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

/** The Electron IPC channel the window asks the system folder picker through. */
export const pickFolderChannel = 'nightshift:pick-folder';

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
  /** Shows the system's folder picker; resolves to the chosen folder's path, or null when the user cancels. */
  pickFolder(): Promise<string | null>;
}
