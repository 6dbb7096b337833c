import type { Decision } from '../../shared/decision.js';
import type { FailureType } from '../../shared/failureType.js';
import type { ModelRole } from '../../shared/modelRole.js';
import type { PhaseName } from '../../shared/phaseName.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { TaskSpec } from '../../shared/taskSpecSchema.js';
import type { TaskStatus } from '../../shared/taskStatus.js';
import type { SandboxResult } from '../../shared/sandbox/Sandbox.js';
import type { ProjectSettings } from '../../shared/projectSettingsSchema.js';
import type { BaselineSummary } from '../../shared/protocol.js';

/**
 * `blocked`: the environment failed (model endpoint, sandbox, test runner) and the session waits for it or
 * gave up; `interrupted`: its process died without finishing (a stale project lock shows it). `running`,
 * `stopped`, `blocked` and `interrupted` sessions are resumable.
 */
export type SessionStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'blocked' | 'interrupted';

export interface ProjectRecord {
  id: number;
  /** Absolute, real path of the repository root. */
  path: string;
  name: string;
  createdAt: number;
}

export interface SessionRecord {
  /** Short unique id, also the branch suffix: `nightshift/<id>`. */
  id: string;
  projectId: number;
  status: SessionStatus;
  /** `branch`: deliver to `nightshift/<id>`; `direct`: fast-forward `targetBranch` if it has not moved. */
  mode: 'branch' | 'direct';
  /** Branch that receives commits. */
  branch: string;
  baseCommit: string;
  /** Commit the delivery branch points to after the last delivered task, or null before the first. */
  headCommit: string | null;
  sandbox: string;
  sandboxIsolated: boolean;
  /** Model and backend per role, as described by the model client. */
  models: Record<ModelRole, { model: string; backend: string }>;
  /**
   * `on`: every rail gates a commit; `off` (the benchmark's baseline): only path safety and a passing suite
   * that ran the task's tests. Absent when created without saying: on.
   */
  rails?: 'on' | 'off';
  startedAt: number;
  endedAt: number | null;
  /** Why the session is blocked, interrupted, stopped or failed; empty while it runs or once completed. */
  reason: string;
}

/** A task within a session: a "task run". */
export interface TaskRunRecord {
  id: number;
  sessionId: string;
  /** Position in the backlog, 0-based. */
  ordinal: number;
  spec: TaskSpec;
  status: TaskStatus;
  /** Why it ended as it did; empty while queued or running. */
  reason: string;
  attempts: number;
  commit: string | null;
  startedAt: number | null;
  endedAt: number | null;
}

export interface AttemptRecord {
  id: number;
  taskRunId: number;
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
  /** The attempt's change (tests and code) as a unified diff; empty until the coder has written one. */
  diff: string;
}

export interface PhaseRecord {
  attemptId: number;
  phase: PhaseName;
  ok: boolean;
  detail: string;
  startedAt: number;
  endedAt: number;
}

export interface ModelCallRecord {
  attemptId: number | null;
  taskRunId: number;
  role: ModelRole;
  promptId: string;
  model: string;
  backend: string;
  promptTokens: number;
  outputTokens: number;
  durationMs: number;
  timeToFirstTokenMs: number | null;
  /** Null when the call succeeded. */
  error: string | null;
  at: number;
}

/** One command run in the session's sandbox, timed. */
export interface CommandRecord {
  sessionId: string;
  /** Null for a command run for the session rather than for a task. */
  taskRunId: number | null;
  /** Null for a command run outside an attempt. */
  attemptId: number | null;
  /** The phase that ran it, when one was running. */
  phase: PhaseName | null;
  /** What the command was for, e.g. `red`, `bite:without-code`, `suite`; null when the caller did not say. */
  label: string | null;
  command: string;
  /** The sandbox's kind, e.g. `docker`. */
  sandbox: string;
  outcome: SandboxResult['outcome'];
  exitCode: number | null;
  /** Wall-clock time of the sandbox run, in milliseconds. */
  durationMs: number;
  /** Epoch milliseconds. */
  startedAt: number;
}

export interface FailureRecord {
  taskRunId: number;
  attemptId: number;
  type: FailureType;
  fingerprint: string;
  file: string | null;
  message: string;
  at: number;
}

/** The durable audit record of one task run, exported as one JSONL line. */
export interface AuditRecord {
  taskRunId: number;
  sessionId: string;
  taskId: string;
  title: string;
  project: string;
  branch: string;
  models: Record<ModelRole, { model: string; backend: string }>;
  sandbox: { kind: string; isolated: boolean };
  status: TaskStatus;
  /** Last attempt's decision. */
  decision: Decision | null;
  reason: string;
  attempts: number;
  /** Rails that failed in any attempt, with how many times. */
  railsFired: Record<string, number>;
  reviewVerdict: 'GO' | 'NO_GO' | 'DEMOTED' | null;
  /** Whether the reviewer's quoted ask was found in the task text. */
  askVerified: boolean | null;
  filesChanged: string[];
  testsAdded: string[];
  commit: string | null;
  startedAt: number;
  endedAt: number;
}

/** A project of the recent list, with what the list shows about it. */
export interface RecentProjectRecord extends ProjectRecord {
  /** Epoch milliseconds of the last `upsertProject` (an open in the app or a run). */
  lastOpenedAt: number;
  /** Sessions recorded for it. */
  sessions: number;
  /** Tasks in its backlog. */
  backlogTasks: number;
}

/** A task of a project's backlog, as kept in the database between sessions. */
export interface BacklogTaskRecord {
  projectId: number;
  /** 0-based place in the backlog; positions of a project are contiguous. */
  position: number;
  spec: TaskSpec;
  /** Epoch milliseconds of the last save. */
  updatedAt: number;
}

/** Everything `nightshift explain` shows for one task run. */
export interface TaskExplanation {
  taskRun: TaskRunRecord;
  session: SessionRecord;
  attempts: Array<
    AttemptRecord & {
      phases: PhaseRecord[];
      rails: RailResult[];
      modelCalls: ModelCallRecord[];
      /** Sandboxed commands, in the order they started. */
      commands: CommandRecord[];
    }
  >;
  failures: FailureRecord[];
  audit: AuditRecord | null;
}

/**
 * Durable records. Every method is synchronous and atomic on its own; `transaction` groups several.
 * Implementations throw `StoreCorruptError` / `StoreUnavailableError` (from `engine/store/`) instead of
 * ever recreating a damaged database.
 */
export interface Store {
  /** Creates or renames the project at `path`, marks it opened at `now` and brings it back if it was forgotten. */
  upsertProject(options: { path: string; name: string; now: number }): ProjectRecord;
  getProjectByPath(path: string): ProjectRecord | null;
  getProject(id: number): ProjectRecord | null;
  createSession(options: Omit<SessionRecord, 'status' | 'headCommit' | 'endedAt' | 'reason'>): SessionRecord;
  getSession(id: string): SessionRecord | null;
  listSessions(options?: { projectId?: number; limit?: number }): SessionRecord[];
  /** The newest session of a project that is `running` (a crash left it so) or `stopped` (resumable). */
  findUnfinishedSession(projectId: number): SessionRecord | null;
  updateSession(id: string, patch: Partial<Pick<SessionRecord, 'status' | 'headCommit' | 'endedAt' | 'reason'>>): void;

  addTaskRuns(sessionId: string, specs: TaskSpec[]): TaskRunRecord[];
  getTaskRun(id: number): TaskRunRecord | null;
  listTaskRuns(sessionId: string): TaskRunRecord[];
  updateTaskRun(
    id: number,
    patch: Partial<Pick<TaskRunRecord, 'status' | 'reason' | 'attempts' | 'commit' | 'startedAt' | 'endedAt'>>,
  ): void;

  startAttempt(options: { taskRunId: number; number: number; startedAt: number }): AttemptRecord;
  finishAttempt(
    id: number,
    patch: Pick<AttemptRecord, 'decision' | 'failureType' | 'fingerprint' | 'feedback' | 'endedAt'>,
  ): void;
  listAttempts(taskRunId: number): AttemptRecord[];
  /** Records the attempt's change as a unified diff, replacing any recorded before. */
  setAttemptDiff(id: number, diff: string): void;
  /**
   * Crash recovery: marks running attempts of a session `INTERRUPTED` and puts its running task runs
   * back to `queued`. Returns how many task runs were requeued.
   */
  recoverInterrupted(sessionId: string, now: number): number;

  recordPhase(record: PhaseRecord): void;
  recordRails(attemptId: number, rails: RailResult[]): void;
  recordModelCall(record: ModelCallRecord): void;
  recordCommand(record: CommandRecord): void;
  recordFailure(record: FailureRecord): void;
  /** How many failures of a task run carry this fingerprint. */
  countFingerprint(taskRunId: number, fingerprint: string): number;

  writeAudit(record: AuditRecord): void;
  listAudit(options?: { sessionId?: string }): AuditRecord[];
  explain(taskRunId: number): TaskExplanation | null;

  /** A project's backlog in order. */
  listBacklog(projectId: number): BacklogTaskRecord[];
  /** Updates the task with `spec.id` in place, or appends it to the end of the backlog when there is none. */
  saveBacklogTask(options: {
    projectId: number;
    spec: TaskSpec;
    /**
     * The id the task had before this save, when the save renames it; the task keeps its position.
     * Default: `spec.id`.
     */
    previousId?: string;
    /** Epoch milliseconds. */
    now: number;
  }): BacklogTaskRecord;
  /** Removes a task; the ones after it move up. Throws `StoreRecordMissingError` when there is no such task. */
  deleteBacklogTask(options: { projectId: number; taskId: string }): void;
  /**
   * Puts the backlog in the given order. `taskIds` must name every task of the backlog exactly once, else
   * `BacklogOrderError` and nothing changes.
   */
  reorderBacklog(options: { projectId: number; taskIds: readonly string[] }): void;
  /** Replaces the whole backlog with `specs`, in their order, in one transaction (an import). */
  replaceBacklog(options: {
    projectId: number;
    specs: readonly TaskSpec[];
    /** Epoch milliseconds. */
    now: number;
  }): BacklogTaskRecord[];

  /** Projects not forgotten, most recently opened first. */
  listRecentProjects(): RecentProjectRecord[];
  /**
   * Hides a project from `listRecentProjects` until `upsertProject` opens it again; its sessions, backlog and
   * settings stay. Throws `StoreRecordMissingError` when there is no such project.
   */
  forgetProject(projectId: number): void;
  /** The session settings saved for a project, or null when none were. Throws `ProjectSettingsInvalidError` for a saved value the schema refuses. */
  getProjectSettings(projectId: number): ProjectSettings | null;
  /** Saves a project's session settings, replacing earlier ones. Throws `ProjectSettingsInvalidError` when the schema refuses them. */
  saveProjectSettings(options: {
    projectId: number;
    settings: ProjectSettings;
    /** Epoch milliseconds. */
    now: number;
  }): ProjectSettings;
  /** The project's last baseline check, or null before the first. */
  getLastBaseline(projectId: number): BaselineSummary | null;
  /** Records a baseline check as the project's last one. */
  recordBaseline(options: { projectId: number; baseline: BaselineSummary }): void;

  transaction<T>(fn: () => T): T;
  dispose(): void;
}
