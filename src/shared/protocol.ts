import { z } from 'zod';
import { decisionSchema, type Decision } from './decision.js';
import type { EngineEvent } from './engineEventSchema.js';
import { failureTypeSchema, type FailureType } from './failureType.js';
import { modelRoleSchema, type ModelRole } from './modelRole.js';
import type { PhaseName } from './phaseName.js';
import { railNameSchema, type RailResult } from './railResultSchema.js';
import type { TaskSpec } from './taskSpecSchema.js';
import { taskStatusSchema, type TaskStatus } from './taskStatus.js';
import type { NightshiftErrorData } from './NightshiftErrorData.js';
import { projectSettingsSchema, type ProjectSettings } from './projectSettingsSchema.js';
import type { SessionControlState } from './sessionControlStateSchema.js';
import {
  modelsMachineRequestSchema,
  modelsPlanRequestSchema,
  modelsProfileRequestSchema,
  type ModelsMachine,
  type ModelsPlanView,
  type ModelsProfileSaved,
} from './modelPlanProtocol.js';
import { benchCompareRequestSchema, benchRunsRequestSchema, type BenchComparison, type BenchRunsPage } from './benchProtocol.js';

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

/** Which sessions the Metrics and History views read: one project's or every project's, in a date range. */
const historyScopeSchema = {
  /** Only this opened project's sessions. Default: every project. */
  projectPath: z.string().min(1).optional(),
  /** Only sessions started at or after this time, epoch milliseconds. */
  from: z.number().int().nonnegative().optional(),
  /** Only sessions started before this time, epoch milliseconds. */
  to: z.number().int().nonnegative().optional(),
};

const metricsSummaryRequestSchema = z.object(historyScopeSchema).strict();

const historySearchRequestSchema = z
  .object({
    ...historyScopeSchema,
    /** Words the task's title or id contains (case-insensitive); empty or absent: every task run. */
    query: z.string().max(200).optional(),
    /** Only task runs that ended in this status. */
    status: taskStatusSchema.optional(),
    /** Only task runs where this rail refused an attempt. */
    rail: railNameSchema.optional(),
    /** Only task runs with a failure of this type. */
    failureType: failureTypeSchema.optional(),
    /** Only task runs with an attempt decided so. */
    decision: z.union([decisionSchema, z.literal('INTERRUPTED')]).optional(),
    /** Only this session's task runs. */
    sessionId: z.string().min(1).optional(),
    /** 0-based page. Default 0. */
    page: z.number().int().nonnegative().optional(),
    /** Task runs per page, 1 to 200. Default 50. */
    pageSize: z.number().int().min(1).max(200).optional(),
  })
  .strict();

const historyAuditRequestSchema = z.object({ taskRunId: z.number().int().positive() }).strict();

/** One night (session) in the Metrics view; task counts by how they ended. */
export interface MetricsNight {
  sessionId: string;
  projectPath: string;
  startedAt: number;
  tasks: number;
  committed: number;
  /** Ended without a commit: failed, deadlocked or escalated. */
  refused: number;
  skipped: number;
  /** Committed on their first attempt. */
  committedFirstAttempt: number;
  /** Attempts spent by the night's finished task runs. */
  attempts: number;
  deadlocked: number;
  escalated: number;
}

/** The numbers behind the Metrics view's charts, over the sessions of the request's scope. */
export interface MetricsSummary {
  /** Oldest first. */
  nights: MetricsNight[];
  /** Finished task runs (committed or refused) by how many attempts they took, fewest first. */
  attemptsPerTask: Array<{ attempts: number; tasks: number }>;
  /** Recorded failures by type, most first. */
  failuresByType: Array<{ type: string; count: number }>;
  /** Attempts each rail refused (failed, not skipped), most first. */
  refusalsByRail: Array<{ rail: string; count: number }>;
  /** Failure fingerprints seen in more than one task run, most task runs first (at most 50). */
  repeatedFingerprints: Array<{ fingerprint: string; type: string; tasks: number; occurrences: number; message: string }>;
  /** Model calls per role and model; `tokensPerSecond` is output tokens over generation time. */
  tokens: Array<{ role: string; model: string; calls: number; promptTokens: number; outputTokens: number; durationMs: number; tokensPerSecond: number }>;
  /** Wall time per phase, split into model calls, sandboxed commands (tests, lint) and the harness (the rest). */
  phases: Array<{ phase: string; runs: number; wallMs: number; modelMs: number; commandMs: number; harnessMs: number }>;
}

/** One task run in the History view. */
export interface HistoryTaskRun {
  taskRunId: number;
  sessionId: string;
  projectPath: string;
  /** When its session started, epoch milliseconds. */
  sessionStartedAt: number;
  taskId: string;
  title: string;
  status: TaskStatus;
  attempts: number;
  /** The last attempt's decision; null before the first attempt ended. */
  decision: Decision | 'INTERRUPTED' | null;
  /** Rails that refused any of its attempts, by name. */
  refusedBy: string[];
  /** Failure types recorded for it. */
  failureTypes: string[];
  commit: string | null;
  startedAt: number | null;
  endedAt: number | null;
}

/** One page of History's search, newest session first. */
export interface HistoryPage {
  items: HistoryTaskRun[];
  /** Task runs matching the search over every page. */
  total: number;
  page: number;
  pageSize: number;
}

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

/** A model file in the store, as the Models view lists it. */
export interface ModelFileSummary {
  /** Model id (the catalog's, for catalog models). */
  id: string;
  /** The catalog's display name; null for a model the catalog does not know. */
  name: string | null;
  /** Absolute path of the file in the store (a symbolic link for `link` imports). */
  file: string;
  sizeBytes: number;
  /** llama.cpp quantization type, e.g. `Q4_K_M`: the catalog's, else the GGUF header's; null when neither says. */
  quantization: string | null;
  /** True when the file was downloaded and its SHA-256 matches the catalog's. */
  verified: boolean;
  sha256: string | null;
  /** `download`: fetched by Nightshift; `copy` and `link`: imported from a file on this machine. */
  origin: 'download' | 'copy' | 'link';
  /** Where it came from: the source URI for downloads, the original path for imports. */
  source: string;
  addedAt: number;
  /** False when the file is gone, e.g. the target of a link was moved. */
  present: boolean;
}

/** A model the current profile needs that is not in the store. */
export interface MissingModelSummary {
  id: string;
  name: string;
  quantization: string;
  /** Size of the download according to the catalog. */
  sizeBytes: number;
  /** Roles of the profile that use it. */
  roles: string[];
  /** Why it cannot be downloaded by the host (a local source, a split file); null when it can. */
  notDownloadable: string | null;
}

/** A download in the host, as `models/download` events report it. */
export type ModelDownloadState = Omit<Extract<EngineEvent, { type: 'models/download' }>, 'type' | 'at'>;

/** Everything the Model files section shows. */
export interface ModelFilesListing {
  /** Absolute path of the model store's folder. */
  dir: string;
  files: ModelFileSummary[];
  /** The profile for this machine's memory, with the models it needs that are missing; null when it cannot be chosen (see `catalogError`). */
  profile: { id: string; memoryGb: number; missing: MissingModelSummary[] } | null;
  /** Why the catalog or the profile could not be read; null when they could. */
  catalogError: NightshiftErrorData | null;
  /** Downloads running, paused or failed in this host. */
  downloads: ModelDownloadState[];
  disk: { freeBytes: number; storedBytes: number; linkedBytes: number; partialBytes: number };
  /** Where downloads come from, and whether it answered just now; unreachable means offline: import instead. */
  source: { endpoint: string; reachable: boolean; detail: string | null };
}

const modelFilesListRequestSchema = z.object({}).strict();

/** A model by its id: letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
const modelIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

const modelFileRequestSchema = z.object({ modelId: modelIdSchema }).strict();

const modelFilesImportRequestSchema = z
  .object({
    /**
     * Absolute path of a GGUF file on the host's machine. Not a project folder: the user names any model file
     * they have, and the host reads only its first bytes before refusing anything but a GGUF.
     */
    file: z.string().min(1),
    /** `copy`: the store keeps its own copy. `link`: a symbolic link, so the file must stay where it is. */
    mode: z.enum(['copy', 'link']),
    /** Id to list it under. Default: the file name without `.gguf`, lower-cased. */
    modelId: modelIdSchema.optional(),
  })
  .strict();

/** One model the app's model host has loaded (`models/load`), outside any session. Bytes, epoch milliseconds. */
export interface ResidentModelSummary {
  modelId: string;
  /** The GGUF file, symlinks resolved. */
  file: string;
  /** The roles the project's or machine's profile (or the host's one file) gives this file; empty for a file loaded by path. */
  roles: ModelRole[];
  /** Tokens of context allocated, its roles' contexts together. */
  contextSize: number;
  /** The planner's estimate for the weights and contexts. */
  estimatedBytes: number;
  /** What llama.cpp reported allocating for the load; null when the backend does not tell. */
  measuredBytes: number | null;
  /** A pinned model stays loaded when another one loads. */
  pinned: boolean;
  /** A try call is generating on it. */
  busy: boolean;
  loadedAt: number;
  /** Wall time of the load, milliseconds. */
  loadMs: number;
  /** Its model process. */
  pid: number | null;
}

/** What the app's model host has loaded now, and what it did since the host started. */
export interface ResidencyReport {
  /** Where a role's model comes from: one GGUF file for every role, or the project's or machine's profile. */
  source: { kind: 'gguf'; file: string } | { kind: 'profile' };
  /** In load order. */
  models: ResidentModelSummary[];
  counters: {
    loads: number;
    /** Evictions included. */
    unloads: number;
    /** Unloads made to make room for another model. */
    evictions: number;
    failedLoads: number;
  };
  /**
   * Set while a session runs: its models live in the engine process's own model host, which this report does
   * not show, in words for the view; null otherwise.
   */
  session: string | null;
}

/** The figures of one `models/try` prompt; also the `models/try-finished` event's. Milliseconds. */
export interface ModelTryResult {
  tryId: string;
  modelId: string;
  role: ModelRole;
  /** The answer (a JSON string, as every backend constrains output to JSON). */
  text: string;
  promptTokens: number;
  outputTokens: number;
  timeToFirstTokenMs: number | null;
  /** Output tokens per second after the first; null with fewer than two tokens. */
  tokensPerSecond: number | null;
  durationMs: number;
}

/**
 * Which model a residency message means: the one a role uses (from the host's GGUF file, else the opened
 * project's or the machine's profile), or a GGUF file named outright.
 */
const modelTargetSchema = {
  /** The role whose model is meant. Default `coder`. */
  role: modelRoleSchema.optional(),
  /**
   * Absolute path of a GGUF file on the host's machine, loaded as it is for every role. Not a project folder:
   * like `models/files/import`, the user names any model file they have.
   */
  ggufFile: z.string().min(1).optional(),
  /** The opened project whose nightshift.models.json overrides the profile. Default: the machine's profile alone. */
  projectPath: projectPathSchema.optional(),
};

const modelsResidencyRequestSchema = z.object({}).strict();

const modelsLoadRequestSchema = z.object(modelTargetSchema).strict();

const modelsUnloadRequestSchema = z.object({ modelId: z.string().min(1) }).strict();

const modelsPinRequestSchema = z.object({ modelId: z.string().min(1), pinned: z.boolean() }).strict();

const modelsTryRequestSchema = z
  .object({
    ...modelTargetSchema,
    /** Chosen by the caller, so it can match the `models/try-token` events that arrive before the answer. */
    tryId: z.string().min(1).max(100),
    prompt: z.string().min(1),
    /** The system prompt. Default empty. */
    system: z.string().optional(),
    /** Output token cap. Default: the room the prompt leaves in the context. */
    maxTokens: z.number().int().positive().optional(),
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
  /** The Metrics view's numbers over the scope's sessions. */
  'metrics/summary': [z.infer<typeof metricsSummaryRequestSchema>, MetricsSummary];
  /** Task runs across projects matching the search, one page at a time. */
  'history/search': [z.infer<typeof historySearchRequestSchema>, HistoryPage];
  /** A task run's audit record as `audit/export` writes it; null when the task run has none yet. */
  'history/audit': [z.infer<typeof historyAuditRequestSchema>, { record: Record<string, unknown> | null }];
  /** Stored `nightshift bench run` results, newest first, with figures per level and rails mode; none stored: an empty list. */
  'bench/runs': [z.infer<typeof benchRunsRequestSchema>, BenchRunsPage];
  /** Two stored benchmark runs level by level (medians); refused with `BENCH_RUN_NOT_FOUND` naming a run that is not stored. */
  'bench/compare': [z.infer<typeof benchCompareRequestSchema>, BenchComparison];
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
  /** Model files in the store, what the current profile still needs, downloads in progress and disk space. */
  'models/files/list': [z.infer<typeof modelFilesListRequestSchema>, ModelFilesListing];
  /** Starts downloading a catalog model; answers once bytes flow (or the file is already there). Progress comes as `models/download` events. */
  'models/files/download': [z.infer<typeof modelFileRequestSchema>, ModelDownloadState];
  /** Stops a running download, keeping what arrived for `models/files/resume`. */
  'models/files/pause': [z.infer<typeof modelFileRequestSchema>, ModelDownloadState];
  /** Continues a paused or failed download where it stopped. */
  'models/files/resume': [z.infer<typeof modelFileRequestSchema>, ModelDownloadState];
  /** Stops a download and deletes what arrived. */
  'models/files/cancel': [z.infer<typeof modelFileRequestSchema>, ModelDownloadState];
  /** Adds a GGUF file from this machine; refused with `MODEL_IMPORT_FAILED` when it is not one. */
  'models/files/import': [z.infer<typeof modelFilesImportRequestSchema>, ModelFileSummary];
  /** Deletes a model file (only the link for linked imports) and any partial download of it. */
  'models/files/delete': [z.infer<typeof modelFileRequestSchema>, { modelId: string; freedBytes: number }];
  /** This machine as models are planned for it: chip, memory, the planner's budget and tier, disk free for models. */
  'models/machine': [z.infer<typeof modelsMachineRequestSchema>, ModelsMachine];
  /** Plans a profile (as edited) on this machine or a what-if Mac; a context below its role's minimum is refused with `context.field`. */
  'models/plan': [z.infer<typeof modelsPlanRequestSchema>, ModelsPlanView];
  /** Saves the profile as a validated override, global or per project, where the next session reads it. */
  'models/profile': [z.infer<typeof modelsProfileRequestSchema>, ModelsProfileSaved];
  /** What the app's own model host has loaded and its counters; a running session's models are not among them (see `session`). */
  'models/residency': [z.infer<typeof modelsResidencyRequestSchema>, ResidencyReport];
  /** Loads a role's model or a GGUF file in the app's model host, first evicting models that are neither pinned nor busy. */
  'models/load': [z.infer<typeof modelsLoadRequestSchema>, ResidencyReport];
  /** Unloads a model; refused while a try call runs on it. */
  'models/unload': [z.infer<typeof modelsUnloadRequestSchema>, ResidencyReport];
  /** Pins a loaded model (it stays when another loads) or unpins it. */
  'models/pin': [z.infer<typeof modelsPinRequestSchema>, ResidencyReport];
  /** Runs one prompt, loading the model first; tokens arrive as `models/try-token` events, the figures also as `models/try-finished`. */
  'models/try': [z.infer<typeof modelsTryRequestSchema>, ModelTryResult];
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
  'metrics/summary',
  'history/search',
  'history/audit',
  'bench/runs',
  'bench/compare',
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
  'models/files/list',
  'models/files/download',
  'models/files/pause',
  'models/files/resume',
  'models/files/cancel',
  'models/files/import',
  'models/files/delete',
  'models/machine',
  'models/plan',
  'models/profile',
  'models/residency',
  'models/load',
  'models/unload',
  'models/pin',
  'models/try',
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
  'metrics/summary': metricsSummaryRequestSchema,
  'history/search': historySearchRequestSchema,
  'history/audit': historyAuditRequestSchema,
  'bench/runs': benchRunsRequestSchema,
  'bench/compare': benchCompareRequestSchema,
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
  'models/files/list': modelFilesListRequestSchema,
  'models/files/download': modelFileRequestSchema,
  'models/files/pause': modelFileRequestSchema,
  'models/files/resume': modelFileRequestSchema,
  'models/files/cancel': modelFileRequestSchema,
  'models/files/import': modelFilesImportRequestSchema,
  'models/files/delete': modelFileRequestSchema,
  'models/machine': modelsMachineRequestSchema,
  'models/plan': modelsPlanRequestSchema,
  'models/profile': modelsProfileRequestSchema,
  'models/residency': modelsResidencyRequestSchema,
  'models/load': modelsLoadRequestSchema,
  'models/unload': modelsUnloadRequestSchema,
  'models/pin': modelsPinRequestSchema,
  'models/try': modelsTryRequestSchema,
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
