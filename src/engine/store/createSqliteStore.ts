import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { Decision } from '../../shared/decision.js';
import type { FailureType } from '../../shared/failureType.js';
import type { ModelRole } from '../../shared/modelRole.js';
import type { PhaseName } from '../../shared/phaseName.js';
import type { RailName, RailResult } from '../../shared/railResultSchema.js';
import type { TaskSpec } from '../../shared/taskSpecSchema.js';
import type { TaskStatus } from '../../shared/taskStatus.js';
import type { BaselineSummary } from '../../shared/protocol.js';
import { parseProjectSettings } from '../settings/parseProjectSettings.js';
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
  SessionStatus,
  Store,
  TaskExplanation,
  TaskRunRecord,
} from '../ports/Store.js';
import { BacklogOrderError } from './BacklogOrderError.js';
import { StoreCorruptError } from './StoreCorruptError.js';
import { StoreOutdatedError } from './StoreOutdatedError.js';
import { StoreRecordMissingError } from './StoreRecordMissingError.js';
import { StoreUnavailableError } from './StoreUnavailableError.js';
import { migrations } from './migrations.js';

/** How long a statement waits for another connection's lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 5_000;

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Opens (creating when missing) the SQLite database at `path` and returns the `Store` over it. An existing
 * file is checked first through a read-only connection, so a damaged or too-new database is reported with
 * `StoreCorruptError` without a single byte of it being written.
 */
export function createSqliteStore(options: {
  /** Database file. Its directory is created when missing. */
  path: string;
  /** Path to a `better_sqlite3.node` built for another runtime (Electron). Default: the package's own. */
  nativeBinding?: string;
  /**
   * Open an existing, up-to-date database without writing anything beside it (no directory, no WAL
   * switch, no migration, no -wal or -shm file: with no writer running, a private copy is read), for
   * commands that only read; the store's writing methods then fail. Throws StoreOutdatedError for a
   * database that needs a migration. Default false.
   */
  readonly?: boolean;
}): Store {
  const path = resolve(options.path);
  if (options.readonly) return openReadonly(path, options.nativeBinding);
  createDirectory(path);
  if (existsSync(path)) verifyExisting(path, options.nativeBinding);
  const db = open(path, { nativeBinding: options.nativeBinding });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db, path);
  } catch (error) {
    db.close();
    throw translateError(error, path);
  }
  return guardMethods(buildStore(db), path);
}

function openReadonly(path: string, nativeBinding: string | undefined): Store {
  if (!existsSync(path)) throw new StoreUnavailableError({ path, reason: 'it does not exist yet', hint: 'Run `nightshift run` once to create it, or check --data-dir and NIGHTSHIFT_HOME.' });
  // A writer keeps <db>-wal while it runs (a crashed one leaves it): then the file is read in place,
  // sharing the writer's index. Otherwise nothing is writing, and a read-only connection in place would
  // still create -wal and -shm beside the file, or fail where the folder is read-only, so a private copy
  // is read instead.
  const snapshotDir = existsSync(`${path}-wal`) ? null : mkdtempSync(join(tmpdir(), 'nightshift-db-'));
  const removeSnapshot = () => {
    if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  };
  const source = snapshotDir ? join(snapshotDir, basename(path)) : path;
  let db: Database.Database;
  try {
    if (snapshotDir) copyFileSync(path, source);
    verifyExisting(source, nativeBinding, path);
    db = open(source, { nativeBinding, readonly: true });
  } catch (error) {
    removeSnapshot();
    throw translateError(error, path);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < migrations.length) throw new StoreOutdatedError({ path, version, needed: migrations.length });
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    db.close();
    removeSnapshot();
    throw translateError(error, path);
  }
  const store = guardMethods(buildStore(db), path);
  return {
    ...store,
    dispose() {
      store.dispose();
      removeSnapshot();
    },
  };
}

function createDirectory(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StoreUnavailableError({
      path,
      reason: `its directory ${dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      cause: error,
    });
  }
}

/** Checks the file at `source`; errors name `path` (the user's file, when `source` is a copy of it). */
function verifyExisting(source: string, nativeBinding: string | undefined, path = source): void {
  const stats = statSync(source);
  if (!stats.isFile()) {
    throw new StoreUnavailableError({ path, reason: 'the path exists but is not a regular file' });
  }
  // SQLite itself treats a zero-length file as an empty database.
  if (stats.size === 0) return;
  if (!hasSqliteHeader(source)) throw new StoreCorruptError({ path, reason: 'the file is not a SQLite database' });
  const db = open(source, { nativeBinding, readonly: true });
  try {
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const problems = rows.map((row) => row.quick_check).filter((message) => message !== 'ok');
    if (problems.length > 0) {
      throw new StoreCorruptError({ path, reason: `integrity check failed: ${problems.slice(0, 3).join('; ')}` });
    }
    assertKnownVersion(path, db.pragma('user_version', { simple: true }) as number);
  } catch (error) {
    throw translateError(error, path);
  } finally {
    db.close();
  }
}

function hasSqliteHeader(path: string): boolean {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

function assertKnownVersion(path: string, version: number): void {
  if (version <= migrations.length) return;
  throw new StoreCorruptError({
    path,
    reason: `it was written by a newer Nightshift (schema version ${version}, this one knows up to ${migrations.length})`,
    hint: `Run the newer Nightshift that wrote it, or move ${path} aside and re-run; Nightshift never downgrades or recreates a database.`,
  });
}

function open(path: string, options: { nativeBinding: string | undefined; readonly?: boolean }): Database.Database {
  try {
    return new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
    });
  } catch (error) {
    const translated = translateError(error, path);
    if (translated instanceof NightshiftError) throw translated;
    throw new StoreUnavailableError({
      path,
      reason: `SQLite could not open it (${error instanceof Error ? error.message : String(error)})`,
      hint: options.nativeBinding
        ? `Check that ${options.nativeBinding} is a better-sqlite3 binary built for this runtime.`
        : 'Reinstall dependencies so better-sqlite3 is built for this Node.js version.',
      cause: error,
    });
  }
}

function migrate(db: Database.Database, path: string): void {
  // One migration per IMMEDIATE transaction: a second process opening the same file waits, then sees the new
  // version instead of applying the same migration twice.
  const step = db.transaction((): 'applied' | 'done' | 'needs-keys-off' => {
    const version = db.pragma('user_version', { simple: true }) as number;
    assertKnownVersion(path, version);
    const migration = migrations[version];
    if (migration === undefined) return 'done';
    // Rebuilding a referenced table with foreign keys on would cascade its DROP into every child row.
    if (migration.rebuildsTables && db.pragma('foreign_keys', { simple: true }) === 1) return 'needs-keys-off';
    db.exec(migration.sql);
    if (migration.rebuildsTables) {
      const dangling = db.pragma('foreign_key_check') as unknown[];
      if (dangling.length > 0) throw new Error(`migration "${migration.name}" left ${dangling.length} dangling reference(s)`);
    }
    db.pragma(`user_version = ${version + 1}`);
    return 'applied';
  });
  let keysOff = false;
  try {
    for (;;) {
      const result = step.immediate();
      if (result === 'done') return;
      // foreign_keys cannot change inside a transaction, so the step asks for it and runs again.
      const wantKeysOff = result === 'needs-keys-off';
      if (wantKeysOff !== keysOff) {
        db.pragma(`foreign_keys = ${wantKeysOff ? 'OFF' : 'ON'}`);
        keysOff = wantKeysOff;
      }
    }
  } finally {
    if (keysOff) db.pragma('foreign_keys = ON');
  }
}

/** SQLite errors that describe the file or its surroundings become the store's typed errors. */
function translateError(error: unknown, path: string): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const code = error.code;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreCorruptError({ path, reason: error.message, cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreUnavailableError({
      path,
      reason: `another process holds a lock on it (${error.message})`,
      hint: 'Another Nightshift process is using this database; wait for it to finish or stop it, then retry.',
      cause: error,
    });
  }
  if (/^SQLITE_(CANTOPEN|IOERR|FULL|READONLY|PERM|AUTH|NOLFS)/.test(code)) {
    return new StoreUnavailableError({ path, reason: error.message, cause: error });
  }
  return error;
}

function guardMethods(store: Store, path: string): Store {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(store) as Array<[string, (...args: unknown[]) => unknown]>) {
    guarded[name] = (...args: unknown[]) => {
      try {
        return method(...args);
      } catch (error) {
        throw translateError(error, path);
      }
    };
  }
  return guarded as unknown as Store;
}

interface ProjectRow {
  id: number;
  path: string;
  name: string;
  created_at: number;
}

interface RecentProjectRow extends ProjectRow {
  last_opened_at: number;
  sessions: number;
  backlog_tasks: number;
}

interface SessionRow {
  id: string;
  project_id: number;
  status: SessionStatus;
  mode: 'branch' | 'direct';
  branch: string;
  base_commit: string;
  head_commit: string | null;
  sandbox: string;
  sandbox_isolated: number;
  models: string;
  rails: 'on' | 'off';
  started_at: number;
  ended_at: number | null;
  reason: string;
}

interface TaskRunRow {
  id: number;
  session_id: string;
  ordinal: number;
  spec: string;
  status: TaskStatus;
  reason: string;
  attempts: number;
  commit_sha: string | null;
  started_at: number | null;
  ended_at: number | null;
}

interface BacklogTaskRow {
  id: number;
  project_id: number;
  position: number;
  task_id: string;
  title: string;
  description: string;
  depends_on: string;
  target_files: string;
  test_command: string | null;
  updated_at: number;
}

interface AttemptRow {
  id: number;
  task_run_id: number;
  number: number;
  decision: Decision | 'INTERRUPTED' | null;
  failure_type: FailureType | null;
  fingerprint: string | null;
  feedback: string;
  started_at: number;
  ended_at: number | null;
  diff: string;
}

interface PhaseRow {
  attempt_id: number;
  phase: PhaseName;
  ok: number;
  detail: string;
  started_at: number;
  ended_at: number;
}

interface RailRow {
  name: RailName;
  passed: number;
  skipped: number | null;
  detail: string;
  failure_type: FailureType | null;
  file: string | null;
  duration_ms: number | null;
}

interface ModelCallRow {
  attempt_id: number | null;
  task_run_id: number;
  role: ModelRole;
  prompt_id: string;
  model: string;
  backend: string;
  prompt_tokens: number;
  output_tokens: number;
  duration_ms: number;
  ttft_ms: number | null;
  error: string | null;
  at: number;
}

interface CommandRow {
  session_id: string;
  task_run_id: number | null;
  attempt_id: number | null;
  phase: PhaseName | null;
  label: string | null;
  command: string;
  sandbox: string;
  outcome: CommandRecord['outcome'];
  exit_code: number | null;
  duration_ms: number;
  started_at: number;
}

interface FailureRow {
  task_run_id: number;
  attempt_id: number;
  type: FailureType;
  fingerprint: string;
  file: string | null;
  message: string;
  at: number;
}

const toProject = (row: ProjectRow): ProjectRecord => ({
  id: row.id,
  path: row.path,
  name: row.name,
  createdAt: row.created_at,
});

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  projectId: row.project_id,
  status: row.status,
  mode: row.mode,
  branch: row.branch,
  baseCommit: row.base_commit,
  headCommit: row.head_commit,
  sandbox: row.sandbox,
  sandboxIsolated: row.sandbox_isolated === 1,
  models: JSON.parse(row.models) as SessionRecord['models'],
  rails: row.rails,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  reason: row.reason,
});

const toTaskRun = (row: TaskRunRow): TaskRunRecord => ({
  id: row.id,
  sessionId: row.session_id,
  ordinal: row.ordinal,
  spec: JSON.parse(row.spec) as TaskSpec,
  status: row.status,
  reason: row.reason,
  attempts: row.attempts,
  commit: row.commit_sha,
  startedAt: row.started_at,
  endedAt: row.ended_at,
});

const toAttempt = (row: AttemptRow): AttemptRecord => ({
  id: row.id,
  taskRunId: row.task_run_id,
  number: row.number,
  decision: row.decision,
  failureType: row.failure_type,
  fingerprint: row.fingerprint,
  feedback: row.feedback,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  diff: row.diff,
});

const toPhase = (row: PhaseRow): PhaseRecord => ({
  attemptId: row.attempt_id,
  phase: row.phase,
  ok: row.ok === 1,
  detail: row.detail,
  startedAt: row.started_at,
  endedAt: row.ended_at,
});

// Optional rail fields come back only when they were given, so a rail round-trips unchanged.
const toRail = (row: RailRow): RailResult => ({
  name: row.name,
  passed: row.passed === 1,
  ...(row.skipped === null ? {} : { skipped: row.skipped === 1 }),
  detail: row.detail,
  ...(row.failure_type === null ? {} : { failureType: row.failure_type }),
  ...(row.file === null ? {} : { file: row.file }),
  ...(row.duration_ms === null ? {} : { durationMs: row.duration_ms }),
});

const toModelCall = (row: ModelCallRow): ModelCallRecord => ({
  attemptId: row.attempt_id,
  taskRunId: row.task_run_id,
  role: row.role,
  promptId: row.prompt_id,
  model: row.model,
  backend: row.backend,
  promptTokens: row.prompt_tokens,
  outputTokens: row.output_tokens,
  durationMs: row.duration_ms,
  timeToFirstTokenMs: row.ttft_ms,
  error: row.error,
  at: row.at,
});

const toCommand = (row: CommandRow): CommandRecord => ({
  sessionId: row.session_id,
  taskRunId: row.task_run_id,
  attemptId: row.attempt_id,
  phase: row.phase,
  label: row.label,
  command: row.command,
  sandbox: row.sandbox,
  outcome: row.outcome,
  exitCode: row.exit_code,
  durationMs: row.duration_ms,
  startedAt: row.started_at,
});

const toFailure = (row: FailureRow): FailureRecord => ({
  taskRunId: row.task_run_id,
  attemptId: row.attempt_id,
  type: row.type,
  fingerprint: row.fingerprint,
  file: row.file,
  message: row.message,
  at: row.at,
});

const toBacklogTask = (row: BacklogTaskRow): BacklogTaskRecord => ({
  projectId: row.project_id,
  position: row.position,
  spec: {
    id: row.task_id,
    title: row.title,
    description: row.description,
    dependsOn: JSON.parse(row.depends_on) as string[],
    targetFiles: JSON.parse(row.target_files) as string[],
    ...(row.test_command === null ? {} : { testCommand: row.test_command }),
  },
  updatedAt: row.updated_at,
});

const flag = (value: boolean): number => (value ? 1 : 0);

/** Column -> value pairs of a patch, leaving out fields the caller did not set. */
function definedColumns(columns: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(columns).filter(([, value]) => value !== undefined);
}

function buildStore(db: Database.Database): Store {
  const updateById = (table: string, kind: string, id: string | number, columns: Array<[string, unknown]>) => {
    if (columns.length === 0) return;
    // Column names come from the fixed maps in the callers, never from input.
    const assignments = columns.map(([column]) => `${column} = ?`).join(', ');
    const result = db
      .prepare(`UPDATE ${table} SET ${assignments} WHERE id = ?`)
      .run(...columns.map(([, value]) => value), id);
    if (result.changes === 0) throw new StoreRecordMissingError({ kind, id });
  };

  const statements = {
    upsertProject: db.prepare<[string, string, number, number], ProjectRow>(
      `INSERT INTO projects (path, name, created_at, last_opened_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET name = excluded.name, last_opened_at = excluded.last_opened_at, forgotten = 0
       RETURNING *`,
    ),
    recentProjects: db.prepare<[], RecentProjectRow>(
      `SELECT projects.*,
         (SELECT COUNT(*) FROM sessions WHERE sessions.project_id = projects.id) AS sessions,
         (SELECT COUNT(*) FROM backlog_tasks WHERE backlog_tasks.project_id = projects.id) AS backlog_tasks
       FROM projects WHERE forgotten = 0
       ORDER BY last_opened_at DESC, id DESC`,
    ),
    forgetProject: db.prepare<[number], void>('UPDATE projects SET forgotten = 1 WHERE id = ?'),
    projectSettings: db.prepare<[number], { settings: string }>('SELECT settings FROM project_settings WHERE project_id = ?'),
    saveProjectSettings: db.prepare<[number, string, number], void>(
      `INSERT INTO project_settings (project_id, settings, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    ),
    lastBaseline: db.prepare<[number], { summary: string }>('SELECT summary FROM project_baselines WHERE project_id = ?'),
    recordBaseline: db.prepare<[number, string, number, string], void>(
      `INSERT INTO project_baselines (project_id, commit_sha, ran_at, summary) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id) DO UPDATE SET commit_sha = excluded.commit_sha, ran_at = excluded.ran_at, summary = excluded.summary`,
    ),
    projectByPath: db.prepare<[string], ProjectRow>('SELECT * FROM projects WHERE path = ?'),
    projectById: db.prepare<[number], ProjectRow>('SELECT * FROM projects WHERE id = ?'),
    insertSession: db.prepare<unknown[], SessionRow>(
      `INSERT INTO sessions
         (id, project_id, status, mode, branch, base_commit, head_commit, sandbox, sandbox_isolated, models, rails, started_at, ended_at)
       VALUES (?, ?, 'running', ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL)
       RETURNING *`,
    ),
    sessionById: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    listSessions: db.prepare<{ projectId: number | null; limit: number }, SessionRow>(
      `SELECT * FROM sessions
       WHERE @projectId IS NULL OR project_id = @projectId
       ORDER BY started_at DESC, rowid DESC
       LIMIT @limit`,
    ),
    unfinishedSession: db.prepare<[number], SessionRow>(
      `SELECT * FROM sessions
       WHERE project_id = ? AND status IN ('running', 'stopped', 'blocked', 'interrupted')
       ORDER BY started_at DESC, rowid DESC
       LIMIT 1`,
    ),
    nextOrdinal: db.prepare<[string], { next: number }>(
      'SELECT COALESCE(MAX(ordinal) + 1, 0) AS next FROM task_runs WHERE session_id = ?',
    ),
    insertTaskRun: db.prepare<[string, number, string, string], TaskRunRow>(
      `INSERT INTO task_runs (session_id, ordinal, task_id, spec) VALUES (?, ?, ?, ?)
       RETURNING *`,
    ),
    taskRunById: db.prepare<[number], TaskRunRow>('SELECT * FROM task_runs WHERE id = ?'),
    taskRunsBySession: db.prepare<[string], TaskRunRow>('SELECT * FROM task_runs WHERE session_id = ? ORDER BY ordinal'),
    insertAttempt: db.prepare<[number, number, number], AttemptRow>(
      `INSERT INTO attempts (task_run_id, number, started_at) VALUES (?, ?, ?)
       RETURNING *`,
    ),
    attemptsByTaskRun: db.prepare<[number], AttemptRow>('SELECT * FROM attempts WHERE task_run_id = ? ORDER BY number'),
    interruptAttempts: db.prepare<[number, string], void>(
      `UPDATE attempts SET decision = 'INTERRUPTED', ended_at = ?
       WHERE decision IS NULL AND task_run_id IN (SELECT id FROM task_runs WHERE session_id = ?)`,
    ),
    requeueTaskRuns: db.prepare<[string], void>(
      `UPDATE task_runs SET status = 'queued' WHERE session_id = ? AND status = 'running'`,
    ),
    insertPhase: db.prepare<[number, string, number, string, number, number], void>(
      'INSERT INTO phase_results (attempt_id, phase, ok, detail, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    phasesByAttempt: db.prepare<[number], PhaseRow>(
      'SELECT * FROM phase_results WHERE attempt_id = ? ORDER BY started_at, id',
    ),
    insertRail: db.prepare<[number, string, number, number | null, string, string | null, string | null, number | null], void>(
      `INSERT INTO gate_results (attempt_id, name, passed, skipped, detail, failure_type, file, duration_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    railsByAttempt: db.prepare<[number], RailRow>('SELECT * FROM gate_results WHERE attempt_id = ? ORDER BY id'),
    insertModelCall: db.prepare<unknown[], void>(
      `INSERT INTO model_calls
         (task_run_id, attempt_id, role, prompt_id, model, backend, prompt_tokens, output_tokens, duration_ms, ttft_ms, error, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    modelCallsByAttempt: db.prepare<[number], ModelCallRow>(
      'SELECT * FROM model_calls WHERE attempt_id = ? ORDER BY at, id',
    ),
    insertCommand: db.prepare<unknown[], void>(
      `INSERT INTO commands
         (session_id, task_run_id, attempt_id, phase, label, command, sandbox, outcome, exit_code, duration_ms, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    commandsByAttempt: db.prepare<[number], CommandRow>(
      'SELECT * FROM commands WHERE attempt_id = ? ORDER BY started_at, id',
    ),
    insertFailure: db.prepare<unknown[], void>(
      `INSERT INTO failures (task_run_id, attempt_id, type, fingerprint, file, message, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    failuresByTaskRun: db.prepare<[number], FailureRow>('SELECT * FROM failures WHERE task_run_id = ? ORDER BY at, id'),
    countFingerprint: db.prepare<[number, string], { count: number }>(
      'SELECT COUNT(*) AS count FROM failures WHERE task_run_id = ? AND fingerprint = ?',
    ),
    upsertAudit: db.prepare<unknown[], void>(
      `INSERT INTO audit_records (task_run_id, session_id, task_id, status, decision, commit_sha, started_at, ended_at, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (task_run_id) DO UPDATE SET
         session_id = excluded.session_id, task_id = excluded.task_id, status = excluded.status,
         decision = excluded.decision, commit_sha = excluded.commit_sha, started_at = excluded.started_at,
         ended_at = excluded.ended_at, record = excluded.record`,
    ),
    listAudit: db.prepare<{ sessionId: string | null }, { record: string }>(
      `SELECT record FROM audit_records
       WHERE @sessionId IS NULL OR session_id = @sessionId
       ORDER BY started_at, task_run_id`,
    ),
    auditByTaskRun: db.prepare<[number], { record: string }>('SELECT record FROM audit_records WHERE task_run_id = ?'),
    backlog: db.prepare<[number], BacklogTaskRow>('SELECT * FROM backlog_tasks WHERE project_id = ? ORDER BY position'),
    backlogTask: db.prepare<[number, string], BacklogTaskRow>('SELECT * FROM backlog_tasks WHERE project_id = ? AND task_id = ?'),
    insertBacklogTask: db.prepare<unknown[], BacklogTaskRow>(
      `INSERT INTO backlog_tasks
         (project_id, position, task_id, title, description, depends_on, target_files, test_command, updated_at)
       VALUES (@projectId, (SELECT COUNT(*) FROM backlog_tasks WHERE project_id = @projectId),
               @taskId, @title, @description, @dependsOn, @targetFiles, @testCommand, @now)
       RETURNING *`,
    ),
    updateBacklogTask: db.prepare<unknown[], BacklogTaskRow>(
      `UPDATE backlog_tasks SET
         task_id = @taskId, title = @title, description = @description, depends_on = @dependsOn,
         target_files = @targetFiles, test_command = @testCommand, updated_at = @now
       WHERE project_id = @projectId AND task_id = @previousId
       RETURNING *`,
    ),
    deleteBacklogTask: db.prepare<[number, string], { position: number }>(
      'DELETE FROM backlog_tasks WHERE project_id = ? AND task_id = ? RETURNING position',
    ),
    closeBacklogGap: db.prepare<[number, number], void>(
      'UPDATE backlog_tasks SET position = position - 1 WHERE project_id = ? AND position > ?',
    ),
    positionBacklogTask: db.prepare<[number, number, string], void>(
      'UPDATE backlog_tasks SET position = ? WHERE project_id = ? AND task_id = ?',
    ),
    clearBacklog: db.prepare<[number], void>('DELETE FROM backlog_tasks WHERE project_id = ?'),
  };

  const backlogColumns = (projectId: number, spec: TaskSpec, now: number) => ({
    projectId,
    taskId: spec.id,
    title: spec.title,
    description: spec.description,
    dependsOn: JSON.stringify(spec.dependsOn),
    targetFiles: JSON.stringify(spec.targetFiles),
    testCommand: spec.testCommand ?? null,
    now,
  });

  const transaction = <T>(fn: () => T): T => db.transaction(fn)();

  return {
    upsertProject: ({ path, name, now }) => toProject(statements.upsertProject.get(path, name, now, now)!),

    getProjectByPath(path) {
      const row = statements.projectByPath.get(path);
      return row ? toProject(row) : null;
    },

    getProject(id) {
      const row = statements.projectById.get(id);
      return row ? toProject(row) : null;
    },

    createSession: (session) =>
      toSession(
        statements.insertSession.get(
          session.id,
          session.projectId,
          session.mode,
          session.branch,
          session.baseCommit,
          session.sandbox,
          flag(session.sandboxIsolated),
          JSON.stringify(session.models),
          session.rails ?? 'on',
          session.startedAt,
        )!,
      ),

    getSession(id) {
      const row = statements.sessionById.get(id);
      return row ? toSession(row) : null;
    },

    listSessions: (options = {}) =>
      statements.listSessions
        .all({ projectId: options.projectId ?? null, limit: options.limit ?? -1 })
        .map(toSession),

    findUnfinishedSession(projectId) {
      const row = statements.unfinishedSession.get(projectId);
      return row ? toSession(row) : null;
    },

    updateSession: (id, patch) =>
      updateById(
        'sessions',
        'session',
        id,
        definedColumns({ status: patch.status, head_commit: patch.headCommit, ended_at: patch.endedAt, reason: patch.reason }),
      ),

    addTaskRuns: (sessionId, specs) =>
      transaction(() => {
        const first = statements.nextOrdinal.get(sessionId)!.next;
        return specs.map((spec, index) =>
          toTaskRun(statements.insertTaskRun.get(sessionId, first + index, spec.id, JSON.stringify(spec))!),
        );
      }),

    getTaskRun(id) {
      const row = statements.taskRunById.get(id);
      return row ? toTaskRun(row) : null;
    },

    listTaskRuns: (sessionId) => statements.taskRunsBySession.all(sessionId).map(toTaskRun),

    updateTaskRun: (id, patch) =>
      updateById(
        'task_runs',
        'task run',
        id,
        definedColumns({
          status: patch.status,
          reason: patch.reason,
          attempts: patch.attempts,
          commit_sha: patch.commit,
          started_at: patch.startedAt,
          ended_at: patch.endedAt,
        }),
      ),

    startAttempt: ({ taskRunId, number, startedAt }) =>
      toAttempt(statements.insertAttempt.get(taskRunId, number, startedAt)!),

    finishAttempt: (id, patch) =>
      updateById(
        'attempts',
        'attempt',
        id,
        definedColumns({
          decision: patch.decision,
          failure_type: patch.failureType,
          fingerprint: patch.fingerprint,
          feedback: patch.feedback,
          ended_at: patch.endedAt,
        }),
      ),

    listAttempts: (taskRunId) => statements.attemptsByTaskRun.all(taskRunId).map(toAttempt),

    setAttemptDiff: (id, diff) => updateById('attempts', 'attempt', id, [['diff', diff]]),

    recoverInterrupted: (sessionId, now) =>
      transaction(() => {
        statements.interruptAttempts.run(now, sessionId);
        return statements.requeueTaskRuns.run(sessionId).changes;
      }),

    recordPhase(record) {
      statements.insertPhase.run(
        record.attemptId,
        record.phase,
        flag(record.ok),
        record.detail,
        record.startedAt,
        record.endedAt,
      );
    },

    recordRails: (attemptId, rails) =>
      transaction(() => {
        for (const rail of rails) {
          statements.insertRail.run(
            attemptId,
            rail.name,
            flag(rail.passed),
            rail.skipped === undefined ? null : flag(rail.skipped),
            rail.detail,
            rail.failureType ?? null,
            rail.file ?? null,
            rail.durationMs ?? null,
          );
        }
      }),

    recordModelCall(record) {
      statements.insertModelCall.run(
        record.taskRunId,
        record.attemptId,
        record.role,
        record.promptId,
        record.model,
        record.backend,
        record.promptTokens,
        record.outputTokens,
        record.durationMs,
        record.timeToFirstTokenMs,
        record.error,
        record.at,
      );
    },

    recordCommand(record) {
      statements.insertCommand.run(
        record.sessionId,
        record.taskRunId,
        record.attemptId,
        record.phase,
        record.label,
        record.command,
        record.sandbox,
        record.outcome,
        record.exitCode,
        record.durationMs,
        record.startedAt,
      );
    },

    recordFailure(record) {
      statements.insertFailure.run(
        record.taskRunId,
        record.attemptId,
        record.type,
        record.fingerprint,
        record.file,
        record.message,
        record.at,
      );
    },

    countFingerprint: (taskRunId, fingerprint) => statements.countFingerprint.get(taskRunId, fingerprint)!.count,

    writeAudit(record) {
      statements.upsertAudit.run(
        record.taskRunId,
        record.sessionId,
        record.taskId,
        record.status,
        record.decision,
        record.commit,
        record.startedAt,
        record.endedAt,
        JSON.stringify(record),
      );
    },

    listAudit: (options = {}) =>
      statements.listAudit
        .all({ sessionId: options.sessionId ?? null })
        .map((row) => JSON.parse(row.record) as AuditRecord),

    explain: (taskRunId) =>
      transaction((): TaskExplanation | null => {
        const taskRunRow = statements.taskRunById.get(taskRunId);
        if (!taskRunRow) return null;
        const sessionRow = statements.sessionById.get(taskRunRow.session_id)!;
        const audit = statements.auditByTaskRun.get(taskRunId);
        return {
          taskRun: toTaskRun(taskRunRow),
          session: toSession(sessionRow),
          attempts: statements.attemptsByTaskRun.all(taskRunId).map((row) => ({
            ...toAttempt(row),
            phases: statements.phasesByAttempt.all(row.id).map(toPhase),
            rails: statements.railsByAttempt.all(row.id).map(toRail),
            modelCalls: statements.modelCallsByAttempt.all(row.id).map(toModelCall),
            commands: statements.commandsByAttempt.all(row.id).map(toCommand),
          })),
          failures: statements.failuresByTaskRun.all(taskRunId).map(toFailure),
          audit: audit ? (JSON.parse(audit.record) as AuditRecord) : null,
        };
      }),

    listBacklog: (projectId) => statements.backlog.all(projectId).map(toBacklogTask),

    saveBacklogTask: ({ projectId, spec, previousId, now }) =>
      transaction(() => {
        const columns = backlogColumns(projectId, spec, now);
        if (previousId !== undefined) {
          const renamed = statements.updateBacklogTask.get({ ...columns, previousId });
          if (!renamed) throw new StoreRecordMissingError({ kind: 'backlog task', id: previousId });
          return toBacklogTask(renamed);
        }
        const updated = statements.updateBacklogTask.get({ ...columns, previousId: spec.id });
        return toBacklogTask(updated ?? statements.insertBacklogTask.get(columns)!);
      }),

    deleteBacklogTask: ({ projectId, taskId }) =>
      transaction(() => {
        const deleted = statements.deleteBacklogTask.get(projectId, taskId);
        if (!deleted) throw new StoreRecordMissingError({ kind: 'backlog task', id: taskId });
        statements.closeBacklogGap.run(projectId, deleted.position);
      }),

    reorderBacklog: ({ projectId, taskIds }) =>
      transaction(() => {
        BacklogOrderError.check({ current: statements.backlog.all(projectId).map((row) => row.task_id), taskIds });
        taskIds.forEach((taskId, position) => statements.positionBacklogTask.run(position, projectId, taskId));
      }),

    replaceBacklog: ({ projectId, specs, now }) =>
      transaction(() => {
        statements.clearBacklog.run(projectId);
        return specs.map((spec) => toBacklogTask(statements.insertBacklogTask.get(backlogColumns(projectId, spec, now))!));
      }),

    listRecentProjects: () =>
      statements.recentProjects.all().map(
        (row): RecentProjectRecord => ({ ...toProject(row), lastOpenedAt: row.last_opened_at, sessions: row.sessions, backlogTasks: row.backlog_tasks }),
      ),

    forgetProject(projectId) {
      if (statements.forgetProject.run(projectId).changes === 0) throw new StoreRecordMissingError({ kind: 'project', id: projectId });
    },

    getProjectSettings(projectId) {
      const row = statements.projectSettings.get(projectId);
      return row ? parseProjectSettings({ settings: JSON.parse(row.settings) }) : null;
    },

    saveProjectSettings({ projectId, settings, now }) {
      const parsed = parseProjectSettings({ settings });
      statements.saveProjectSettings.run(projectId, JSON.stringify(parsed), now);
      return parsed;
    },

    getLastBaseline(projectId) {
      const row = statements.lastBaseline.get(projectId);
      return row ? (JSON.parse(row.summary) as BaselineSummary) : null;
    },

    recordBaseline: ({ projectId, baseline }) => {
      statements.recordBaseline.run(projectId, baseline.commit, baseline.ranAt, JSON.stringify(baseline));
    },

    transaction,

    dispose() {
      if (db.open) db.close();
    },
  };
}
