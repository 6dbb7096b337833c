import type {
  AttemptRecord,
  AuditRecord,
  BacklogTaskRecord,
  CommandRecord,
  FailureRecord,
  ModelCallRecord,
  PhaseRecord,
  ProjectRecord,
  RecentProjectRecord,
  SessionRecord,
  Store,
  TaskExplanation,
  TaskRunRecord,
} from '../../src/engine/ports/Store.js';
import { BacklogOrderError } from '../../src/engine/store/BacklogOrderError.js';
import { StoreRecordMissingError } from '../../src/engine/store/StoreRecordMissingError.js';
import { parseProjectSettings } from '../../src/engine/settings/parseProjectSettings.js';
import type { ProjectSettings } from '../../src/shared/projectSettingsSchema.js';
import type { BaselineSummary } from '../../src/shared/protocol.js';
import type { RailResult } from '../../src/shared/railResultSchema.js';
import type { TaskSpec } from '../../src/shared/taskSpecSchema.js';

/** Every table, as arrays in insertion order; `seq` breaks ties the way SQLite's rowid does. */
interface Tables {
  nextId: number;
  projects: Array<ProjectRecord & { lastOpenedAt: number; forgotten: boolean }>;
  sessions: Array<SessionRecord & { seq: number }>;
  taskRuns: TaskRunRecord[];
  attempts: AttemptRecord[];
  phases: Array<PhaseRecord & { seq: number }>;
  rails: Array<{ attemptId: number; rail: RailResult }>;
  modelCalls: Array<ModelCallRecord & { seq: number }>;
  commands: Array<CommandRecord & { seq: number }>;
  failures: Array<FailureRecord & { seq: number }>;
  audit: AuditRecord[];
  backlog: BacklogTaskRecord[];
  settings: Array<{ projectId: number; settings: ProjectSettings }>;
  baselines: Array<{ projectId: number; baseline: BaselineSummary }>;
}

const UNFINISHED: ReadonlySet<SessionRecord['status']> = new Set(['running', 'stopped', 'blocked', 'interrupted']);
const TASK_STATUSES: ReadonlySet<TaskRunRecord['status']> = new Set(['queued', 'running', 'done', 'failed', 'deadlocked', 'escalated', 'skipped']);
const OUTCOMES: ReadonlySet<CommandRecord['outcome']> = new Set(['exited', 'timeout', 'cancelled', 'spawn-error']);

/**
 * The Store port in memory, for fast loop tests: the SQLite store's results, orderings, defaults and refusals
 * (missing records, duplicate attempt numbers, unknown parents, values outside a CHECK list), so a test passes
 * against both (test/integration/store/storeContract.test.ts). A transaction snapshots the tables and restores
 * them when its body throws. Records go in and out as copies, as rows would.
 */
export function createMemoryStore(): Store {
  let tables: Tables = {
    nextId: 1,
    projects: [],
    sessions: [],
    taskRuns: [],
    attempts: [],
    phases: [],
    rails: [],
    modelCalls: [],
    commands: [],
    failures: [],
    audit: [],
    backlog: [],
    settings: [],
    baselines: [],
  };
  const id = () => tables.nextId++;
  const copy = <T>(value: T): T => structuredClone(value);
  const strip = <T extends { seq: number }>({ seq: _seq, ...rest }: T): Omit<T, 'seq'> => copy(rest);
  const byKeys = <T>(...keys: Array<(item: T) => number>) => (a: T, b: T) => {
    for (const key of keys) {
      const difference = key(a) - key(b);
      if (difference !== 0) return difference;
    }
    return 0;
  };

  const need = <T>(found: T | undefined, what: string): T => {
    if (found === undefined) throw new Error(`FOREIGN KEY constraint failed: no ${what}`);
    return found;
  };
  const project = ({ id: projectId, path, name, createdAt }: Tables['projects'][number]): ProjectRecord => ({ id: projectId, path, name, createdAt });
  const projectOrNull = (row: Tables['projects'][number] | undefined) => (row ? project(row) : null);
  const session = (sessionId: string) => tables.sessions.find((row) => row.id === sessionId);
  const taskRun = (taskRunId: number) => tables.taskRuns.find((row) => row.id === taskRunId);
  const attempt = (attemptId: number) => tables.attempts.find((row) => row.id === attemptId);
  const patch = <T extends object>(row: T | undefined, kind: string, rowId: string | number, changes: Partial<T>) => {
    if (row === undefined) throw new StoreRecordMissingError({ kind, id: rowId });
    for (const [key, value] of Object.entries(changes)) {
      if (value !== undefined) (row as Record<string, unknown>)[key] = value;
    }
  };
  const backlogTask = (projectId: number, taskId: string) =>
    tables.backlog.find((row) => row.projectId === projectId && row.spec.id === taskId);
  /** What a backlog row gives back: the spec's own fields, an unset test command left out as a NULL column is. */
  const storedSpec = ({ id: taskId, title, description, dependsOn, targetFiles, testCommand }: TaskSpec): TaskSpec => ({
    id: taskId,
    title,
    description,
    dependsOn: [...dependsOn],
    targetFiles: [...targetFiles],
    ...(testCommand === undefined ? {} : { testCommand }),
  });
  const transaction = <T>(fn: () => T): T => {
    const before = copy(tables);
    try {
      return fn();
    } catch (error) {
      tables = before;
      throw error;
    }
  };

  const store: Store = {
    upsertProject({ path, name, now }) {
      const existing = tables.projects.find((row) => row.path === path);
      if (existing) {
        Object.assign(existing, { name, lastOpenedAt: now, forgotten: false });
        return project(existing);
      }
      const created = { id: id(), path, name, createdAt: now, lastOpenedAt: now, forgotten: false };
      tables.projects.push(created);
      return project(created);
    },
    getProjectByPath: (path) => projectOrNull(tables.projects.find((row) => row.path === path)),
    getProject: (projectId) => projectOrNull(tables.projects.find((row) => row.id === projectId)),

    createSession(options) {
      need(tables.projects.find((row) => row.id === options.projectId), `project ${options.projectId}`);
      if (session(options.id)) throw new Error(`UNIQUE constraint failed: sessions.id (${options.id})`);
      const created = { rails: 'on' as const, ...copy(options), status: 'running' as const, headCommit: null, endedAt: null, reason: '', seq: id() };
      tables.sessions.push(created);
      return strip(created);
    },
    getSession(sessionId) {
      const row = session(sessionId);
      return row ? strip(row) : null;
    },
    listSessions(options = {}) {
      const rows = tables.sessions
        .filter((row) => options.projectId === undefined || row.projectId === options.projectId)
        .sort(byKeys((row) => -row.startedAt, (row) => -row.seq));
      return rows.slice(0, options.limit ?? rows.length).map(strip);
    },
    findUnfinishedSession(projectId) {
      const [newest] = store.listSessions({ projectId }).filter((row) => UNFINISHED.has(row.status));
      return newest ?? null;
    },
    updateSession: (sessionId, changes) => patch(session(sessionId), 'session', sessionId, changes),

    addTaskRuns: (sessionId, specs) =>
      transaction(() => {
        need(session(sessionId), `session ${sessionId}`);
        const first = tables.taskRuns.filter((row) => row.sessionId === sessionId).reduce((next, row) => Math.max(next, row.ordinal + 1), 0);
        return specs.map((spec, index) => {
          const created: TaskRunRecord = {
            id: id(),
            sessionId,
            ordinal: first + index,
            spec: copy(spec),
            status: 'queued',
            reason: '',
            attempts: 0,
            commit: null,
            startedAt: null,
            endedAt: null,
          };
          tables.taskRuns.push(created);
          return copy(created);
        });
      }),
    getTaskRun: (taskRunId) => copy(taskRun(taskRunId) ?? null),
    listTaskRuns: (sessionId) => copy(tables.taskRuns.filter((row) => row.sessionId === sessionId).sort(byKeys((row) => row.ordinal))),
    updateTaskRun(taskRunId, changes) {
      if (changes.status !== undefined && !TASK_STATUSES.has(changes.status)) throw new Error(`CHECK constraint failed: task status ${changes.status}`);
      patch(taskRun(taskRunId), 'task run', taskRunId, changes);
    },

    startAttempt({ taskRunId, number, startedAt }) {
      need(taskRun(taskRunId), `task run ${taskRunId}`);
      if (number < 1) throw new Error('CHECK constraint failed: attempt number >= 1');
      if (tables.attempts.some((row) => row.taskRunId === taskRunId && row.number === number)) {
        throw new Error('UNIQUE constraint failed: attempts.task_run_id, attempts.number');
      }
      const created: AttemptRecord = { id: id(), taskRunId, number, decision: null, failureType: null, fingerprint: null, feedback: '', startedAt, endedAt: null, diff: '' };
      tables.attempts.push(created);
      return copy(created);
    },
    finishAttempt: (attemptId, changes) => patch(attempt(attemptId), 'attempt', attemptId, changes),
    listAttempts: (taskRunId) => copy(tables.attempts.filter((row) => row.taskRunId === taskRunId).sort(byKeys((row) => row.number))),
    setAttemptDiff: (attemptId, diff) => patch(attempt(attemptId), 'attempt', attemptId, { diff }),
    recoverInterrupted: (sessionId, now) =>
      transaction(() => {
        const runs = tables.taskRuns.filter((row) => row.sessionId === sessionId);
        const runIds = new Set(runs.map((row) => row.id));
        for (const row of tables.attempts) {
          if (row.decision === null && runIds.has(row.taskRunId)) Object.assign(row, { decision: 'INTERRUPTED', endedAt: now });
        }
        const running = runs.filter((row) => row.status === 'running');
        for (const row of running) row.status = 'queued';
        return running.length;
      }),

    recordPhase(record) {
      need(attempt(record.attemptId), `attempt ${record.attemptId}`);
      tables.phases.push({ ...copy(record), seq: id() });
    },
    recordRails: (attemptId, rails) =>
      transaction(() => {
        need(attempt(attemptId), `attempt ${attemptId}`);
        for (const rail of rails) {
          if (rail.name == null) throw new Error('NOT NULL constraint failed: gate_results.name');
          // Optional fields left undefined are not stored, as NULL columns come back absent.
          tables.rails.push({ attemptId, rail: Object.fromEntries(Object.entries(copy(rail)).filter(([, value]) => value !== undefined)) as RailResult });
        }
      }),
    recordModelCall(record) {
      need(taskRun(record.taskRunId), `task run ${record.taskRunId}`);
      tables.modelCalls.push({ ...copy(record), seq: id() });
    },
    recordCommand(record) {
      need(session(record.sessionId), `session ${record.sessionId}`);
      if (!OUTCOMES.has(record.outcome)) throw new Error(`CHECK constraint failed: command outcome ${record.outcome}`);
      if (record.durationMs < 0) throw new Error('CHECK constraint failed: duration_ms >= 0');
      tables.commands.push({ ...copy(record), seq: id() });
    },
    recordFailure(record) {
      need(taskRun(record.taskRunId), `task run ${record.taskRunId}`);
      need(attempt(record.attemptId), `attempt ${record.attemptId}`);
      tables.failures.push({ ...copy(record), seq: id() });
    },
    countFingerprint: (taskRunId, fingerprint) => tables.failures.filter((row) => row.taskRunId === taskRunId && row.fingerprint === fingerprint).length,

    writeAudit(record) {
      need(taskRun(record.taskRunId), `task run ${record.taskRunId}`);
      tables.audit = [...tables.audit.filter((row) => row.taskRunId !== record.taskRunId), copy(record)];
    },
    listAudit: (options = {}) =>
      copy(
        tables.audit
          .filter((row) => options.sessionId === undefined || row.sessionId === options.sessionId)
          .sort(byKeys((row) => row.startedAt, (row) => row.taskRunId)),
      ),
    explain(taskRunId) {
      const run = taskRun(taskRunId);
      if (!run) return null;
      const explanation: TaskExplanation = {
        taskRun: copy(run),
        session: strip(need(session(run.sessionId), `session ${run.sessionId}`)),
        attempts: store.listAttempts(taskRunId).map((row) => ({
          ...row,
          phases: tables.phases.filter((phase) => phase.attemptId === row.id).sort(byKeys((phase) => phase.startedAt, (phase) => phase.seq)).map(strip),
          rails: tables.rails.filter((rail) => rail.attemptId === row.id).map((rail) => copy(rail.rail)),
          modelCalls: tables.modelCalls.filter((call) => call.attemptId === row.id).sort(byKeys((call) => call.at, (call) => call.seq)).map(strip),
          commands: tables.commands.filter((command) => command.attemptId === row.id).sort(byKeys((command) => command.startedAt, (command) => command.seq)).map(strip),
        })),
        failures: tables.failures.filter((failure) => failure.taskRunId === taskRunId).sort(byKeys((failure) => failure.at, (failure) => failure.seq)).map(strip),
        audit: copy(tables.audit.find((row) => row.taskRunId === taskRunId) ?? null),
      };
      return explanation;
    },

    listBacklog: (projectId) => copy(tables.backlog.filter((row) => row.projectId === projectId).sort(byKeys((row) => row.position))),
    saveBacklogTask: ({ projectId, spec, previousId, now }) =>
      transaction(() => {
        need(tables.projects.find((row) => row.id === projectId), `project ${projectId}`);
        const existing = backlogTask(projectId, previousId ?? spec.id);
        if (!existing && previousId !== undefined) throw new StoreRecordMissingError({ kind: 'backlog task', id: previousId });
        if (spec.id !== (previousId ?? spec.id) && backlogTask(projectId, spec.id)) {
          throw new Error('UNIQUE constraint failed: backlog_tasks.project_id, backlog_tasks.task_id');
        }
        const stored = storedSpec(spec);
        if (existing) {
          Object.assign(existing, { spec: stored, updatedAt: now });
          return copy(existing);
        }
        const created: BacklogTaskRecord = { projectId, position: store.listBacklog(projectId).length, spec: stored, updatedAt: now };
        tables.backlog.push(created);
        return copy(created);
      }),
    deleteBacklogTask({ projectId, taskId }) {
      const existing = backlogTask(projectId, taskId);
      if (!existing) throw new StoreRecordMissingError({ kind: 'backlog task', id: taskId });
      tables.backlog = tables.backlog.filter((row) => row !== existing);
      for (const row of tables.backlog) if (row.projectId === projectId && row.position > existing.position) row.position -= 1;
    },
    reorderBacklog({ projectId, taskIds }) {
      const rows = tables.backlog.filter((row) => row.projectId === projectId);
      BacklogOrderError.check({ current: rows.map((row) => row.spec.id), taskIds });
      for (const row of rows) row.position = taskIds.indexOf(row.spec.id);
    },
    replaceBacklog: ({ projectId, specs, now }) =>
      transaction(() => {
        need(tables.projects.find((row) => row.id === projectId), `project ${projectId}`);
        tables.backlog = tables.backlog.filter((row) => row.projectId !== projectId);
        return specs.map((spec, position) => {
          if (backlogTask(projectId, spec.id)) throw new Error('UNIQUE constraint failed: backlog_tasks.project_id, backlog_tasks.task_id');
          const created: BacklogTaskRecord = { projectId, position, spec: storedSpec(spec), updatedAt: now };
          tables.backlog.push(created);
          return copy(created);
        });
      }),

    listRecentProjects: () =>
      tables.projects
        .filter((row) => !row.forgotten)
        .sort(byKeys((row) => -row.lastOpenedAt, (row) => -row.id))
        .map(
          (row): RecentProjectRecord => ({
            ...project(row),
            lastOpenedAt: row.lastOpenedAt,
            sessions: tables.sessions.filter((other) => other.projectId === row.id).length,
            backlogTasks: tables.backlog.filter((task) => task.projectId === row.id).length,
          }),
        ),
    forgetProject(projectId) {
      const row = tables.projects.find((other) => other.id === projectId);
      if (!row) throw new StoreRecordMissingError({ kind: 'project', id: projectId });
      row.forgotten = true;
    },
    getProjectSettings(projectId) {
      const row = tables.settings.find((other) => other.projectId === projectId);
      return row ? parseProjectSettings({ settings: copy(row.settings) }) : null;
    },
    saveProjectSettings({ projectId, settings }) {
      const parsed = parseProjectSettings({ settings });
      need(tables.projects.find((row) => row.id === projectId), `project ${projectId}`);
      tables.settings = [...tables.settings.filter((row) => row.projectId !== projectId), { projectId, settings: copy(parsed) }];
      return copy(parsed);
    },
    getLastBaseline: (projectId) => copy(tables.baselines.find((row) => row.projectId === projectId)?.baseline ?? null),
    recordBaseline({ projectId, baseline }) {
      need(tables.projects.find((row) => row.id === projectId), `project ${projectId}`);
      tables.baselines = [...tables.baselines.filter((row) => row.projectId !== projectId), { projectId, baseline: copy(baseline) }];
    },

    transaction,
    dispose() {},
  };
  return store;
}
