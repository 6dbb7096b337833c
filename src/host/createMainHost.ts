import { formatBacklog } from '../engine/backlog/formatBacklog.js';
import { importBacklogText } from '../engine/backlog/importBacklogText.js';
import { validateBacklogDelete } from '../engine/backlog/validateBacklogDelete.js';
import { validateBacklogEdit } from '../engine/backlog/validateBacklogEdit.js';
import { formatExplanation } from '../engine/loop/formatExplanation.js';
import type { Clock } from '../engine/ports/Clock.js';
import type { ProjectRecord, SessionRecord, TaskRunRecord } from '../engine/ports/Store.js';
import { createSqliteStore } from '../engine/store/createSqliteStore.js';
import { exportAuditJsonl } from '../engine/store/exportAuditJsonl.js';
import { openDataDir } from '../engine/store/openDataDir.js';
import { resolveDataDir } from '../engine/store/resolveDataDir.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import { defaultProjectSettings } from '../shared/projectSettingsSchema.js';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import {
  protocolRequestSchemas,
  type ProtocolName,
  type ProtocolRequest,
  type ProtocolResponse,
  type ProtocolResult,
  type SessionDetail,
  type SessionSummary,
  type TaskRunSummary,
} from '../shared/protocol.js';
import type { TaskSpec } from '../shared/taskSpecSchema.js';
import { taskStatusSchema, type TaskStatus } from '../shared/taskStatus.js';
import { InvalidRequestError } from './InvalidRequestError.js';
import { ProjectNotOpenError } from './ProjectNotOpenError.js';
import { RecordNotFoundError } from './RecordNotFoundError.js';
import { realPathOrResolved } from './realPathOrResolved.js';
import { createProjectHandlers } from './createProjectHandlers.js';
import { createSessionHandlers } from './createSessionHandlers.js';
import { createMetricsHandlers } from './createMetricsHandlers.js';
import { createBenchHandlers } from './createBenchHandlers.js';
import { createModelResidency } from './createModelResidency.js';
import { createResidencyHandlers } from './createResidencyHandlers.js';
import { createModelPlanHandlers, type MachineOverride } from './createModelPlanHandlers.js';
import { createModelFilesHandlers } from './createModelFilesHandlers.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import type { SessionSupervisor } from './SessionSupervisor.js';

/**
 * Answers the protocol's messages from the Nightshift database and fans engine events out to the windows.
 * It has no Electron in it, so it runs under plain Node in tests and can back `nightshift serve` as well.
 */
export interface MainHost {
  /** The data directory in use. */
  readonly dataDir: string;
  /**
   * Validates `request` against the message's schema and answers it. Never rejects: every failure comes
   * back as `{ ok: false }` with the error's code and hint.
   */
  handle<K extends ProtocolName>(name: K, request: unknown): Promise<ProtocolResult<ProtocolResponse<K>>>;
  /** Calls `listener` with each published event; returns a function that stops it. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Hands an event from a running session to every listener. */
  publish(event: EngineEvent): void;
  /** Stops the supervisor's sessions cleanly (each finishes its step), then closes the database. */
  dispose(): Promise<void>;
}


/** Opens the data directory and its database and returns the host over them. */
export function createMainHost(options: {
  /** Data directory chosen by the user. Default: `$NIGHTSHIFT_HOME`, else `~/.nightshift`. */
  dataDir?: string;
  /** Environment to read `NIGHTSHIFT_HOME` from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Home directory for the default data directory. Default: `os.homedir()`. */
  homeDir?: string;
  /** `better_sqlite3.node` built for this runtime's ABI (Electron's). Default: the package's own Node build. */
  nativeBinding?: string;
  /** Time source for records the host creates. Default: the system clock. */
  clock?: Clock;
  /** Told about failures that are not `NightshiftError`s, which are bugs. Default: `console.error`. */
  onUnexpectedError?: (error: unknown, name: ProtocolName) => void;
  /**
   * Runs sessions in an engine process (Electron's utilityProcess in the app, a Node child for `serve`), given
   * the host's context so that it can read backlogs and publish events. Default: none, and `session/start`
   * and its siblings are refused with a hint.
   */
  createSupervisor?: (context: HostContext) => SessionSupervisor;
  /**
   * The GGUF file the app's own model host (`models/load`, `models/try`) serves every role with, as
   * `--models local:FILE.gguf`. Default: none; each role's file comes from the project's or the machine's profile.
   */
  residencyModelFile?: string;
  /** The machine `models/*` plans for instead of detecting this one (tests, `NIGHTSHIFT_SIMULATE_MEMORY_GB`). */
  machine?: MachineOverride;
  /** Where `models/files/*` keeps model files, reads the catalog and downloads from; each field has its default. */
  modelFiles?: Omit<Parameters<typeof createModelFilesHandlers>[0], 'context' | 'closed'>;
}): MainHost {
  const { dir, dbPath } = openDataDir({
    dir: resolveDataDir({
      ...(options.dataDir === undefined ? {} : { explicit: options.dataDir }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.homeDir === undefined ? {} : { homeDir: options.homeDir }),
    }),
  });
  const store = createSqliteStore({
    path: dbPath,
    ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
  });
  const clock = options.clock ?? { now: () => Date.now() };
  const onUnexpectedError =
    options.onUnexpectedError ??
    ((error: unknown, name: ProtocolName) => console.error(`Nightshift host failed on ${name}:`, error));
  const listeners = new Set<(event: EngineEvent) => void>();
  const projectPathOf = (session: SessionRecord): string => store.getProject(session.projectId)?.path ?? '';

  /** Every message that names a project acts inside one the host already opened. */
  const openedProject = (projectPath: string): ProjectRecord => {
    const project = store.getProjectByPath(realPathOrResolved(projectPath));
    if (!project) throw new ProjectNotOpenError({ path: projectPath });
    return project;
  };
  const context: HostContext = {
    dataDir: dir,
    store,
    clock,
    openedProject,
    settingsOf: (project) => store.getProjectSettings(project.id) ?? defaultProjectSettings,
    publish: (event) => {
      for (const listener of listeners) listener(event);
    },
  };
  const supervisor = options.createSupervisor?.(context) ?? null;
  const residency = createModelResidency({ dataDir: dir, modelFile: options.residencyModelFile ?? null, clock, publish: context.publish });
  const closing = new AbortController();
  const backlogOf = (projectId: number): TaskSpec[] => store.listBacklog(projectId).map((record) => record.spec);

  const summarize = (session: SessionRecord, taskRuns: TaskRunRecord[]): SessionSummary => ({
    id: session.id,
    projectPath: projectPathOf(session),
    status: session.status,
    branch: session.branch,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    counts: countByStatus(taskRuns),
  });

  const handlers: HostHandlers = {
    ...createProjectHandlers({ context }),
    ...createSessionHandlers({ context, supervisor }),
    ...createMetricsHandlers({ context, closed: closing.signal, ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }) }),
    ...createBenchHandlers({ context, closed: closing.signal, ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }) }),
    ...createResidencyHandlers({ context, residency, supervisor }),
    ...createModelPlanHandlers({ context, ...(options.machine ? { machine: options.machine } : {}) }),
    ...createModelFilesHandlers({
      context,
      closed: closing.signal,
      // The listing's profile is the one models/plan plans: the same simulated machine when one is set.
      ...(options.machine ? { memoryBytes: options.machine.totalMemoryBytes } : {}),
      ...options.modelFiles,
    }),

    'session/list': ({ projectPath }) => {
      const sessions = projectPath === undefined ? store.listSessions() : store.listSessions({ projectId: openedProject(projectPath).id });
      return sessions.map((session) => summarize(session, store.listTaskRuns(session.id)));
    },

    'session/get': ({ id }) => {
      const session = store.getSession(id);
      if (!session) throw new RecordNotFoundError({ kind: 'session', id });
      const taskRuns = store.listTaskRuns(id);
      const detail: SessionDetail = {
        ...summarize(session, taskRuns),
        mode: session.mode,
        baseCommit: session.baseCommit,
        headCommit: session.headCommit,
        sandbox: session.sandbox,
        sandboxIsolated: session.sandboxIsolated,
        models: session.models,
      };
      return { session: detail, tasks: taskRuns.map(summarizeTaskRun) };
    },

    'task/explain': ({ taskRunId }) => {
      const explanation = store.explain(taskRunId);
      if (!explanation) throw new RecordNotFoundError({ kind: 'task run', id: taskRunId });
      return {
        taskRun: {
          ...summarizeTaskRun(explanation.taskRun),
          sessionId: explanation.taskRun.sessionId,
          description: explanation.taskRun.spec.description,
        },
        text: formatExplanation(explanation),
        attempts: explanation.attempts.map((attempt) => ({
          number: attempt.number,
          decision: attempt.decision,
          failureType: attempt.failureType,
          fingerprint: attempt.fingerprint,
          feedback: attempt.feedback,
          startedAt: attempt.startedAt,
          endedAt: attempt.endedAt,
          diff: attempt.diff,
          phases: attempt.phases.map(({ phase, ok, detail, startedAt, endedAt }) => ({ phase, ok, detail, startedAt, endedAt })),
          rails: attempt.rails,
        })),
      };
    },

    'audit/export': ({ sessionId }) => ({
      jsonl: exportAuditJsonl({ store, ...(sessionId === undefined ? {} : { sessionId }) }),
    }),

    'backlog/list': ({ projectPath }) => backlogOf(openedProject(projectPath).id),

    'backlog/save': ({ projectPath, task, previousId }) => {
      const projectId = openedProject(projectPath).id;
      return store.transaction(() => {
        validateBacklogEdit({ backlog: backlogOf(projectId), task, ...(previousId === undefined ? {} : { previousId }) });
        store.saveBacklogTask({ projectId, spec: task, ...(previousId === undefined ? {} : { previousId }), now: clock.now() });
        return backlogOf(projectId);
      });
    },

    'backlog/delete': ({ projectPath, taskId }) => {
      const projectId = openedProject(projectPath).id;
      return store.transaction(() => {
        const backlog = backlogOf(projectId);
        if (!backlog.some((task) => task.id === taskId)) throw new RecordNotFoundError({ kind: 'backlog task', id: taskId });
        validateBacklogDelete({ backlog, taskId });
        store.deleteBacklogTask({ projectId, taskId });
        return backlogOf(projectId);
      });
    },

    'backlog/reorder': ({ projectPath, taskIds }) => {
      const projectId = openedProject(projectPath).id;
      return store.transaction(() => {
        store.reorderBacklog({ projectId, taskIds });
        return backlogOf(projectId);
      });
    },

    'backlog/import': ({ projectPath, format, text }) => {
      const projectId = openedProject(projectPath).id;
      const specs = importBacklogText({ format, text });
      return store.replaceBacklog({ projectId, specs, now: clock.now() }).map((record) => record.spec);
    },

    'backlog/export': ({ projectPath }) => ({ text: formatBacklog({ tasks: backlogOf(openedProject(projectPath).id) }) }),
  };

  return {
    dataDir: dir,

    async handle<K extends ProtocolName>(name: K, request: unknown): Promise<ProtocolResult<ProtocolResponse<K>>> {
      try {
        const parsed = protocolRequestSchemas[name].safeParse(request);
        if (!parsed.success) {
          const [first] = parsed.error.issues;
          throw new InvalidRequestError({
            name,
            issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`),
            ...(first && first.path.length > 0 ? { field: { path: first.path.join('.'), reason: first.message } } : {}),
          });
        }
        const handler = handlers[name] as (request: ProtocolRequest<K>) => ProtocolResponse<K> | Promise<ProtocolResponse<K>>;
        return { ok: true, value: await handler(parsed.data as ProtocolRequest<K>) };
      } catch (error) {
        if (error instanceof NightshiftError) return { ok: false, error: error.toJSON() };
        onUnexpectedError(error, name);
        const internal = new NightshiftError({
          code: 'INTERNAL',
          message: `Nightshift failed to answer ${name}: ${error instanceof Error ? error.message : String(error)}`,
          hint: 'This is a bug; the details are in the app log. Please report it with what you clicked.',
        });
        return { ok: false, error: internal.toJSON() };
      }
    },

    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    publish: context.publish,

    async dispose() {
      closing.abort();
      await supervisor?.dispose();
      await residency.dispose();
      listeners.clear();
      store.dispose();
    },
  };
}

function summarizeTaskRun(taskRun: TaskRunRecord): TaskRunSummary {
  return {
    id: taskRun.id,
    taskId: taskRun.spec.id,
    title: taskRun.spec.title,
    status: taskRun.status,
    reason: taskRun.reason,
    attempts: taskRun.attempts,
    commit: taskRun.commit,
  };
}

function countByStatus(taskRuns: TaskRunRecord[]): Record<TaskStatus, number> {
  const counts = Object.fromEntries(taskStatusSchema.options.map((status) => [status, 0])) as Record<
    TaskStatus,
    number
  >;
  for (const taskRun of taskRuns) counts[taskRun.status] += 1;
  return counts;
}
