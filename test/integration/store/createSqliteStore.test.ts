import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Store } from '../../../src/engine/ports/Store.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { migrations } from '../../../src/engine/store/migrations.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { sampleAudit, sampleModels, sampleRails, sampleSpec, seedStore } from '../../utils/seedStore.js';

function openStore(path = join(makeTempDir(), 'nightshift.db')): { store: Store; path: string } {
  const store = createSqliteStore({ path });
  onTestFinished(() => store.dispose());
  return { store, path };
}

/** A second, raw connection for looking at what actually reached the file. */
function rawConnection(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  onTestFinished(() => {
    db.close();
  });
  return db;
}

describe('createSqliteStore', () => {
  it('opens a new file in WAL mode with foreign keys on and the schema at the latest version', () => {
    const { path } = openStore();
    const db = rawConnection(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
      (row) => row.name,
    );
    expect(tables).toEqual([
      'attempts',
      'audit_records',
      'backlog_tasks',
      'bench_runs',
      'commands',
      'failures',
      'gate_results',
      'model_calls',
      'phase_results',
      'project_baselines',
      'project_settings',
      'projects',
      'sessions',
      'task_runs',
    ]);
  });

  it('drops a project\'s backlog with the project', () => {
    const { store, path } = openStore();
    const calc = store.upsertProject({ path: '/repos/calc', name: 'calc', now: 1 });
    const web = store.upsertProject({ path: '/repos/web', name: 'web', now: 1 });
    store.replaceBacklog({ projectId: calc.id, specs: [sampleSpec('T1'), sampleSpec('T2')], now: 2 });
    store.replaceBacklog({ projectId: web.id, specs: [sampleSpec('W1')], now: 2 });
    const db = rawConnection(path);
    db.prepare('DELETE FROM projects WHERE id = ?').run(calc.id);
    expect(db.prepare('SELECT project_id, task_id FROM backlog_tasks').all()).toEqual([{ project_id: web.id, task_id: 'W1' }]);
  });

  it('counts fingerprints with an index rather than a table scan', () => {
    const { store, path } = openStore();
    seedStore({ store });
    const plan = rawConnection(path)
      .prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) FROM failures WHERE task_run_id = ? AND fingerprint = ?')
      .all(1, 'x') as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING COVERING INDEX failures_by_fingerprint/);
  });

  it('enforces foreign keys on writes and cascades deletes from a session', () => {
    const { store, path } = openStore();
    const { session, taskRuns } = seedStore({ store });
    expect(() => store.addTaskRuns('no-such-session', [sampleSpec('T9')])).toThrow(/FOREIGN KEY/);
    expect(() => store.startAttempt({ taskRunId: 999_999, number: 1, startedAt: 1 })).toThrow(/FOREIGN KEY/);
    expect(() =>
      store.recordPhase({ attemptId: 999_999, phase: 'plan', ok: true, detail: '', startedAt: 1, endedAt: 2 }),
    ).toThrow(/FOREIGN KEY/);
    expect(() => store.recordRails(999_999, sampleRails)).toThrow(/FOREIGN KEY/);
    expect(store.listTaskRuns('no-such-session')).toEqual([]);

    const taskRunId = taskRuns[0]!.id;
    const attempt = store.startAttempt({ taskRunId, number: 1, startedAt: 1 });
    store.recordRails(attempt.id, sampleRails);
    store.recordModelCall({
      attemptId: attempt.id,
      taskRunId,
      role: 'brain',
      promptId: 'plan@1',
      model: 'm',
      backend: 'b',
      promptTokens: 1,
      outputTokens: 1,
      durationMs: 1,
      timeToFirstTokenMs: null,
      error: null,
      at: 1,
    });
    store.recordCommand({
      sessionId: session.id,
      taskRunId,
      attemptId: attempt.id,
      phase: 'gates',
      label: 'suite',
      command: 'npm test',
      sandbox: 'local',
      outcome: 'exited',
      exitCode: 0,
      durationMs: 1,
      startedAt: 1,
    });
    expect(() =>
      store.recordCommand({
        sessionId: session.id,
        taskRunId,
        attemptId: 999_999,
        phase: null,
        label: null,
        command: 'npm test',
        sandbox: 'local',
        outcome: 'exited',
        exitCode: 0,
        durationMs: 1,
        startedAt: 1,
      }),
    ).toThrow(/FOREIGN KEY/);
    store.writeAudit(sampleAudit({ taskRunId, sessionId: session.id, taskId: 'T1' }));

    const db = rawConnection(path);
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('gate_results')).toBe(sampleRails.length);
    db.prepare('DELETE FROM sessions WHERE id = ?').run(session.id);
    for (const table of ['task_runs', 'attempts', 'gate_results', 'model_calls', 'commands', 'audit_records']) {
      expect(count(table), table).toBe(0);
    }
    expect(count('projects')).toBe(1);
  });

  it('keeps everything across reopen and does not re-run migrations', () => {
    const path = join(makeTempDir(), 'nested', 'dir', 'nightshift.db');
    const first = createSqliteStore({ path });
    const { session, taskRuns } = seedStore({ store: first });
    const attempt = first.startAttempt({ taskRunId: taskRuns[0]!.id, number: 1, startedAt: 1 });
    first.recordRails(attempt.id, sampleRails);
    const before = first.explain(taskRuns[0]!.id);
    first.dispose();
    first.dispose();

    const schema = () => {
      const db = new Database(path, { readonly: true });
      try {
        return {
          version: db.pragma('user_version', { simple: true }),
          sql: db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all(),
        };
      } finally {
        db.close();
      }
    };
    const schemaBefore = schema();
    for (let round = 0; round < 2; round += 1) {
      const reopened = createSqliteStore({ path });
      expect(reopened.getSession(session.id)).toEqual(session);
      expect(reopened.explain(taskRuns[0]!.id)).toEqual(before);
      reopened.dispose();
    }
    expect(schema()).toEqual(schemaBefore);
    expect(schemaBefore.version).toBe(migrations.length);
  });

  it('opens a database already at the latest version without re-running its migrations', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    const db = new Database(path);
    for (const migration of migrations) db.exec(migration.sql);
    db.pragma(`user_version = ${migrations.length}`);
    db.prepare('INSERT INTO projects (path, name, created_at) VALUES (?, ?, ?)').run('/repos/old', 'old', 1);
    db.close();

    const store = createSqliteStore({ path });
    onTestFinished(() => store.dispose());
    expect(store.getProjectByPath('/repos/old')).toEqual({ id: 1, path: '/repos/old', name: 'old', createdAt: 1 });
  });

  it('upgrades projects opened before the recent list existed: last opened when they were created', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    const db = new Database(path);
    const before = migrations.findIndex((migration) => migration.name === 'projects: recent list, saved settings, last baseline');
    for (const migration of migrations.slice(0, before)) db.exec(migration.sql);
    db.pragma(`user_version = ${before}`);
    db.prepare('INSERT INTO projects (path, name, created_at) VALUES (?, ?, ?)').run('/repos/old', 'old', 42);
    db.close();

    const store = createSqliteStore({ path });
    onTestFinished(() => store.dispose());
    expect(store.listRecentProjects()).toEqual([{ id: 1, path: '/repos/old', name: 'old', createdAt: 42, lastOpenedAt: 42, sessions: 0, backlogTasks: 0 }]);
  });

  it('upgrades a database of the first schema: its rails come back untimed, and commands can be recorded', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    const db = new Database(path);
    db.exec(migrations[0]!.sql);
    db.pragma('user_version = 1');
    db.close();

    const store = createSqliteStore({ path });
    onTestFinished(() => store.dispose());
    const { session, taskRuns } = seedStore({ store });
    const attempt = store.startAttempt({ taskRunId: taskRuns[0]!.id, number: 1, startedAt: 1 });
    const raw = rawConnection(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
    // A rail row written before durations existed.
    raw.prepare('INSERT INTO gate_results (attempt_id, name, passed, skipped, detail) VALUES (?, ?, 1, NULL, ?)').run(attempt.id, 'lint', 'clean');
    store.recordCommand({
      sessionId: session.id,
      taskRunId: taskRuns[0]!.id,
      attemptId: attempt.id,
      phase: 'red',
      label: 'red',
      command: 'pytest',
      sandbox: 'native',
      outcome: 'exited',
      exitCode: 1,
      durationMs: 3,
      startedAt: 2,
    });
    const explanation = store.explain(taskRuns[0]!.id)!;
    expect(explanation.attempts[0]!.rails).toStrictEqual([{ name: 'lint', passed: true, detail: 'clean' }]);
    expect(explanation.attempts[0]!.commands.map((command) => command.label)).toEqual(['red']);
  });

  it('upgrades sessions to blocked/interrupted with a reason, keeping every child row and the cascades', () => {
    const path = join(makeTempDir(), 'nightshift.db');
    const previous = migrations.findIndex((migration) => migration.rebuildsTables);
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    for (const migration of migrations.slice(0, previous)) db.exec(migration.sql);
    db.pragma(`user_version = ${previous}`);
    db.prepare('INSERT INTO projects (path, name, created_at) VALUES (?, ?, ?)').run('/repos/old', 'old', 1);
    db.prepare(
      `INSERT INTO sessions (id, project_id, status, mode, branch, base_commit, sandbox, sandbox_isolated, models, started_at)
       VALUES ('s1', 1, 'stopped', 'branch', 'nightshift/s1', ?, 'docker', 1, ?, 5)`,
    ).run('a'.repeat(40), JSON.stringify(sampleModels));
    db.prepare("INSERT INTO task_runs (session_id, ordinal, task_id, spec, status) VALUES ('s1', 0, 'T1', ?, 'queued')").run(JSON.stringify(sampleSpec('T1')));
    db.prepare("INSERT INTO attempts (task_run_id, number, started_at) VALUES (1, 1, 6)").run();
    db.prepare("INSERT INTO commands (session_id, task_run_id, attempt_id, command, sandbox, outcome, duration_ms, started_at) VALUES ('s1', 1, 1, 'pytest', 'docker', 'exited', 3, 7)").run();
    db.close();

    const store = createSqliteStore({ path });
    onTestFinished(() => store.dispose());
    expect(store.getSession('s1')).toMatchObject({ status: 'stopped', reason: '', startedAt: 5 });
    expect(store.listTaskRuns('s1').map((run) => run.spec.id)).toEqual(['T1']);
    expect(store.listAttempts(1)).toHaveLength(1);
    store.updateSession('s1', { status: 'blocked', reason: 'the model endpoint did not answer' });
    expect(store.findUnfinishedSession(1)).toMatchObject({ id: 's1', status: 'blocked', reason: 'the model endpoint did not answer' });
    store.updateSession('s1', { status: 'interrupted' });
    expect(store.findUnfinishedSession(1)?.status).toBe('interrupted');

    const raw = rawConnection(path);
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM commands').get()).toEqual({ n: 1 });
    raw.prepare("DELETE FROM sessions WHERE id = 's1'").run();
    expect(raw.prepare('SELECT (SELECT COUNT(*) FROM task_runs) + (SELECT COUNT(*) FROM attempts) + (SELECT COUNT(*) FROM commands) AS n').get()).toEqual({ n: 0 });
  });
});
