/**
 * The schema, as ordered migrations: entry `i` brings a database from `PRAGMA user_version` `i` to `i + 1`.
 * Released entries are never edited; a schema change is a new entry at the end. CHECK lists are spelled
 * out here rather than derived from the shared enums so that a shipped migration never changes meaning.
 */
export const migrations: ReadonlyArray<{
  name: string;
  sql: string;
  /**
   * The migration recreates tables that others reference (SQLite cannot change a CHECK in place), so it
   * runs with foreign keys off: otherwise dropping the old table would cascade into every child row. The
   * runner checks every reference afterwards and rolls back on a dangling one.
   */
  rebuildsTables?: boolean;
}> = [
  {
    name: 'initial schema',
    sql: `
      CREATE TABLE projects (
        id         INTEGER PRIMARY KEY,
        path       TEXT    NOT NULL UNIQUE,
        name       TEXT    NOT NULL,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        id               TEXT    PRIMARY KEY,
        project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        status           TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'failed')),
        mode             TEXT    NOT NULL CHECK (mode IN ('branch', 'direct')),
        branch           TEXT    NOT NULL,
        base_commit      TEXT    NOT NULL,
        head_commit      TEXT,
        sandbox          TEXT    NOT NULL,
        sandbox_isolated INTEGER NOT NULL CHECK (sandbox_isolated IN (0, 1)),
        models           TEXT    NOT NULL, -- JSON: role -> { model, backend }
        started_at       INTEGER NOT NULL,
        ended_at         INTEGER
      );
      CREATE INDEX sessions_by_project ON sessions (project_id, started_at);

      CREATE TABLE task_runs (
        id          INTEGER PRIMARY KEY,
        session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        ordinal     INTEGER NOT NULL,
        task_id     TEXT    NOT NULL,
        spec        TEXT    NOT NULL, -- JSON TaskSpec
        status      TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'done', 'failed', 'deadlocked', 'escalated', 'skipped')),
        reason      TEXT    NOT NULL DEFAULT '',
        attempts    INTEGER NOT NULL DEFAULT 0,
        commit_sha  TEXT,
        started_at  INTEGER,
        ended_at    INTEGER,
        UNIQUE (session_id, ordinal)
      );

      CREATE TABLE attempts (
        id           INTEGER PRIMARY KEY,
        task_run_id  INTEGER NOT NULL REFERENCES task_runs (id) ON DELETE CASCADE,
        number       INTEGER NOT NULL CHECK (number >= 1),
        decision     TEXT    CHECK (decision IN ('COMMIT', 'RETRY', 'DEADLOCK', 'ESCALATE', 'INTERRUPTED')),
        failure_type TEXT,
        fingerprint  TEXT,
        feedback     TEXT    NOT NULL DEFAULT '',
        started_at   INTEGER NOT NULL,
        ended_at     INTEGER,
        UNIQUE (task_run_id, number)
      );

      CREATE TABLE phase_results (
        id         INTEGER PRIMARY KEY,
        attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
        phase      TEXT    NOT NULL,
        ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
        detail     TEXT    NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at   INTEGER NOT NULL
      );
      CREATE INDEX phase_results_by_attempt ON phase_results (attempt_id);

      -- One row per rail per attempt, kept in the order the rails reported.
      CREATE TABLE gate_results (
        id           INTEGER PRIMARY KEY,
        attempt_id   INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
        name         TEXT    NOT NULL,
        passed       INTEGER NOT NULL CHECK (passed IN (0, 1)),
        skipped      INTEGER CHECK (skipped IN (0, 1)), -- NULL when the rail did not say
        detail       TEXT    NOT NULL,
        failure_type TEXT,
        file         TEXT
      );
      CREATE INDEX gate_results_by_attempt ON gate_results (attempt_id);

      CREATE TABLE model_calls (
        id             INTEGER PRIMARY KEY,
        task_run_id    INTEGER NOT NULL REFERENCES task_runs (id) ON DELETE CASCADE,
        -- Tokens spent stay accounted to the task run even if its attempt row goes.
        attempt_id     INTEGER REFERENCES attempts (id) ON DELETE SET NULL,
        role           TEXT    NOT NULL,
        prompt_id      TEXT    NOT NULL,
        model          TEXT    NOT NULL,
        backend        TEXT    NOT NULL,
        prompt_tokens  INTEGER NOT NULL,
        output_tokens  INTEGER NOT NULL,
        duration_ms    INTEGER NOT NULL,
        ttft_ms        INTEGER,
        error          TEXT,
        at             INTEGER NOT NULL
      );
      CREATE INDEX model_calls_by_task_run ON model_calls (task_run_id);
      CREATE INDEX model_calls_by_attempt ON model_calls (attempt_id);

      CREATE TABLE failures (
        id          INTEGER PRIMARY KEY,
        task_run_id INTEGER NOT NULL REFERENCES task_runs (id) ON DELETE CASCADE,
        attempt_id  INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
        type        TEXT    NOT NULL,
        fingerprint TEXT    NOT NULL,
        file        TEXT,
        message     TEXT    NOT NULL,
        at          INTEGER NOT NULL
      );
      -- Deadlock detection counts repeats of a fingerprint within a task run.
      CREATE INDEX failures_by_fingerprint ON failures (task_run_id, fingerprint);
      CREATE INDEX failures_by_attempt ON failures (attempt_id);

      CREATE TABLE audit_records (
        task_run_id INTEGER PRIMARY KEY REFERENCES task_runs (id) ON DELETE CASCADE,
        session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        task_id     TEXT    NOT NULL,
        status      TEXT    NOT NULL,
        decision    TEXT,
        commit_sha  TEXT,
        started_at  INTEGER NOT NULL,
        ended_at    INTEGER NOT NULL,
        record      TEXT    NOT NULL -- JSON AuditRecord, the exported line
      );
      CREATE INDEX audit_records_by_session ON audit_records (session_id, started_at);
    `,
  },
  {
    name: 'rail and command durations',
    sql: `
      ALTER TABLE gate_results ADD COLUMN duration_ms INTEGER CHECK (duration_ms >= 0); -- NULL: not timed

      -- One row per command run in a session's sandbox, so a night's time can be split between the models,
      -- the sandboxed commands and the harness.
      CREATE TABLE commands (
        id          INTEGER PRIMARY KEY,
        session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        task_run_id INTEGER REFERENCES task_runs (id) ON DELETE CASCADE,
        -- Time spent stays accounted to the task run even if its attempt row goes.
        attempt_id  INTEGER REFERENCES attempts (id) ON DELETE SET NULL,
        phase       TEXT,
        label       TEXT,
        command     TEXT    NOT NULL,
        sandbox     TEXT    NOT NULL,
        outcome     TEXT    NOT NULL CHECK (outcome IN ('exited', 'timeout', 'cancelled', 'spawn-error')),
        exit_code   INTEGER,
        duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
        started_at  INTEGER NOT NULL
      );
      CREATE INDEX commands_by_attempt ON commands (attempt_id);
      CREATE INDEX commands_by_task_run ON commands (task_run_id);
    `,
  },
  {
    name: 'blocked and interrupted sessions, with a reason',
    rebuildsTables: true,
    sql: `
      -- blocked: the environment (model endpoint, sandbox, runner) failed and the session waits or gave up;
      -- interrupted: its process died (found by the project lock being stale). Both stay resumable.
      CREATE TABLE sessions_next (
        id               TEXT    PRIMARY KEY,
        project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        status           TEXT    NOT NULL
                         CHECK (status IN ('running', 'completed', 'stopped', 'failed', 'blocked', 'interrupted')),
        mode             TEXT    NOT NULL CHECK (mode IN ('branch', 'direct')),
        branch           TEXT    NOT NULL,
        base_commit      TEXT    NOT NULL,
        head_commit      TEXT,
        sandbox          TEXT    NOT NULL,
        sandbox_isolated INTEGER NOT NULL CHECK (sandbox_isolated IN (0, 1)),
        models           TEXT    NOT NULL,
        started_at       INTEGER NOT NULL,
        ended_at         INTEGER,
        reason           TEXT    NOT NULL DEFAULT ''
      );
      INSERT INTO sessions_next
        (id, project_id, status, mode, branch, base_commit, head_commit, sandbox, sandbox_isolated, models, started_at, ended_at)
        SELECT id, project_id, status, mode, branch, base_commit, head_commit, sandbox, sandbox_isolated, models, started_at, ended_at
        FROM sessions;
      DROP TABLE sessions;
      ALTER TABLE sessions_next RENAME TO sessions;
      CREATE INDEX sessions_by_project ON sessions (project_id, started_at);
    `,
  },
  {
    name: 'backlog tasks kept per project',
    sql: `
      -- position is the task's 0-based place in the project's backlog; it is kept contiguous by the store,
      -- so no UNIQUE on it (a reorder rewrites every row's position one by one).
      CREATE TABLE backlog_tasks (
        id           INTEGER PRIMARY KEY,
        project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        position     INTEGER NOT NULL CHECK (position >= 0),
        task_id      TEXT    NOT NULL,
        title        TEXT    NOT NULL,
        description  TEXT    NOT NULL DEFAULT '',
        depends_on   TEXT    NOT NULL DEFAULT '[]', -- JSON array of task ids
        target_files TEXT    NOT NULL DEFAULT '[]', -- JSON array of paths
        test_command TEXT,
        updated_at   INTEGER NOT NULL,
        UNIQUE (project_id, task_id)
      );
      CREATE INDEX backlog_tasks_by_position ON backlog_tasks (project_id, position);
    `,
  },
  {
    name: 'the diff of each attempt',
    sql: `
      -- The attempt's combined change (test and code) as a unified diff, for the live view and the review.
      ALTER TABLE attempts ADD COLUMN diff TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    name: 'projects: recent list, saved settings, last baseline',
    sql: `
      -- last_opened_at orders the recent list (set on every open or run); forgotten hides a project from it
      -- until it is opened again, keeping its sessions.
      ALTER TABLE projects ADD COLUMN last_opened_at INTEGER NOT NULL DEFAULT 0;
      UPDATE projects SET last_opened_at = created_at;
      ALTER TABLE projects ADD COLUMN forgotten INTEGER NOT NULL DEFAULT 0 CHECK (forgotten IN (0, 1));

      CREATE TABLE project_settings (
        project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
        settings   TEXT    NOT NULL, -- JSON ProjectSettings, validated on the way in and out
        updated_at INTEGER NOT NULL
      );

      -- Only the last baseline check of each project is kept: it is what the Projects view shows.
      CREATE TABLE project_baselines (
        project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
        commit_sha TEXT    NOT NULL,
        ran_at     INTEGER NOT NULL,
        summary    TEXT    NOT NULL -- JSON BaselineSummary
      );
    `,
  },
  {
    name: 'indexes for the Metrics and History views',
    sql: `
      -- Date ranges over every project, and the newest-first history (id breaks ties in that order).
      CREATE INDEX sessions_by_start ON sessions (started_at, id);
      -- The Metrics queries go sessions -> task runs -> attempts -> per-attempt rows, each step a search in a
      -- covering index, so a summary never reads a task's spec JSON or a rail's detail text.
      CREATE INDEX task_runs_by_session_status ON task_runs (session_id, status, attempts);
      CREATE INDEX gate_results_refusals ON gate_results (attempt_id, passed, name, skipped);
      CREATE INDEX failures_by_type ON failures (task_run_id, type);
      -- Tokens per role and model, and each call's phase (found from its attempt and start time).
      CREATE INDEX model_calls_usage ON model_calls
        (task_run_id, role, model, prompt_tokens, output_tokens, duration_ms, error, attempt_id, at);
      -- A phase by its attempt and start; it supersedes the attempt-only index, its prefix.
      DROP INDEX phase_results_by_attempt;
      CREATE INDEX phase_results_by_attempt_start ON phase_results (attempt_id, started_at, ended_at, phase);
      -- Command time per phase, straight from the sessions in scope.
      CREATE INDEX commands_by_session_phase ON commands (session_id, phase, duration_ms);
    `,
  },
  {
    name: 'rails mode per session, and benchmark runs',
    sql: `
      -- 'off' is the benchmark's baseline: only path safety and a passing suite gate a commit.
      ALTER TABLE sessions ADD COLUMN rails TEXT NOT NULL DEFAULT 'on' CHECK (rails IN ('on', 'off'));

      -- One level of one benchmark run (nightshift bench run): run_id groups the levels, modes and repeats of one run.
      CREATE TABLE bench_runs (
        id           INTEGER PRIMARY KEY,
        run_id       TEXT    NOT NULL,
        started_at   INTEGER NOT NULL,
        models       TEXT    NOT NULL, -- the --models spec
        rails        TEXT    NOT NULL CHECK (rails IN ('on', 'off')),
        level_id     TEXT    NOT NULL,
        repeat_index INTEGER NOT NULL,
        result       TEXT    NOT NULL  -- JSON BenchLevelResult
      );
      CREATE INDEX bench_runs_by_run ON bench_runs (run_id, level_id, rails, repeat_index);
    `,
  },
];
