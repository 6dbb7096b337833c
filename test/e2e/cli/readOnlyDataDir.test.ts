import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { migrations } from '../../../src/engine/store/migrations.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { CLI_BIN, runCli } from '../../utils/runCli.js';
import { sampleModels, seedStore } from '../../utils/seedStore.js';

const isRoot = process.getuid?.() === 0;
/** When the tests run as root, chmod stops nothing, so the permission checks run the CLI as `nobody`. */
const NOBODY = 65_534;

/** A data directory holding a database with one session, two task runs and an audit record; no WAL files left. */
function seededDataDir(): { root: string; dataDir: string; dbPath: string } {
  const root = makeTempDir();
  // `nobody` must be able to walk into the temp folder, as it would into a shared data directory.
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  const dbPath = join(dataDir, 'nightshift.db');
  const store = createSqliteStore({ path: dbPath });
  const { session, taskRuns } = seedStore({ store, sessionId: 'ro-session' });
  const task = taskRuns[0]!;
  store.updateTaskRun(task.id, { status: 'done', reason: 'committed abc after 1 attempt(s)', startedAt: 1, endedAt: 2 });
  store.writeAudit({
    taskRunId: task.id,
    sessionId: session.id,
    taskId: task.spec.id,
    title: task.spec.title,
    project: '/repos/calc',
    branch: session.branch,
    models: sampleModels,
    sandbox: { kind: 'local', isolated: false },
    status: 'done',
    decision: 'COMMIT',
    reason: 'committed',
    attempts: 1,
    railsFired: {},
    reviewVerdict: 'GO',
    askVerified: true,
    filesChanged: ['src/T1.ts'],
    testsAdded: [],
    commit: 'b'.repeat(40),
    startedAt: 1,
    endedAt: 2,
  });
  store.updateSession(session.id, { status: 'completed', endedAt: 3 });
  store.dispose();
  return { root, dataDir, dbPath };
}

/** Every trace a write would leave: the folder's entries and mtime, the database's bytes and mtime. */
function footprint(dataDir: string, dbPath: string) {
  return {
    entries: readdirSync(dataDir).sort(),
    dirMtime: statSync(dataDir, { bigint: true }).mtimeNs,
    dbMtime: statSync(dbPath, { bigint: true }).mtimeNs,
    dbHash: createHash('sha256').update(readFileSync(dbPath)).digest('hex'),
  };
}

/** Makes the folder and database read-only, put back when the test ends so the temp dir can be removed. */
function makeReadOnly(dataDir: string, dbPath: string): void {
  chmodSync(dbPath, 0o444);
  chmodSync(dataDir, 0o555);
  onTestFinished(() => {
    chmodSync(dataDir, 0o755);
    chmodSync(dbPath, 0o644);
  });
}

/** The CLI as a user that cannot write the data directory: this user when not root, else `nobody`. */
function runUnprivileged(args: string[]): { code: number | null; stdout: string; stderr: string } {
  if (!isRoot) return runCli({ args });
  const result = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CLI_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: '/nonexistent' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const readCommands = (dataDir: string) => [
  { args: ['status', '--data-dir', dataDir], expected: /ro-session\s+completed[^\n]*\n\s+\[\s+1\] T1\s+done/ },
  { args: ['status', '--session', 'ro-session', '--json', '--data-dir', dataDir], expected: /"id": "ro-session"/ },
  { args: ['explain', '1', '--data-dir', dataDir], expected: /T1/ },
  { args: ['audit', 'export', '--session', 'ro-session', '--data-dir', dataDir], expected: /"taskId":"T1".*"commit":"b{40}"/ },
];

describe('a read-only data directory', () => {
  it('answers status, explain and audit export without writing a byte', () => {
    const { dataDir, dbPath } = seededDataDir();
    makeReadOnly(dataDir, dbPath);
    const before = footprint(dataDir, dbPath);
    for (const { args, expected } of readCommands(dataDir)) {
      const result = runCli({ args });
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(expected);
    }
    // The write probe, the WAL switch and -wal/-shm files would all change the folder or the file.
    expect(footprint(dataDir, dbPath)).toEqual(before);
  });

  it('answers a user who cannot write it, and run still refuses early with the way out', () => {
    const { root, dataDir, dbPath } = seededDataDir();
    makeReadOnly(dataDir, dbPath);
    const before = footprint(dataDir, dbPath);
    for (const { args, expected } of readCommands(dataDir)) {
      const result = runUnprivileged(args);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(expected);
    }
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    chmodSync(join(root, 'calc'), 0o755);
    const run = runUnprivileged(['run', repoDir, '--models', `scripted:${scriptPath}`, '--data-dir', dataDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/data directory .* is not usable: it (is not writable|cannot be created)/);
    expect(run.stderr).toMatch(/--data-dir|NIGHTSHIFT_HOME/);
    expect(footprint(dataDir, dbPath)).toEqual(before);
  });

  it('says a database from an older Nightshift needs a write to upgrade, and upgrades it where it can', () => {
    const root = makeTempDir();
    chmodSync(root, 0o755);
    const dataDir = join(root, 'data');
    const dbPath = join(dataDir, 'nightshift.db');
    runCli({ args: ['status', '--data-dir', dataDir] });
    const old = new Database(join(dataDir, 'old.db'));
    old.exec(migrations[0]!.sql);
    old.pragma('user_version = 1');
    old.close();
    chmodSync(join(dataDir, 'old.db'), 0o644);
    readdirSync(dataDir).filter((name) => name.startsWith('nightshift.db')).forEach((name) => chmodSync(join(dataDir, name), 0o644));
    spawnSync('mv', [join(dataDir, 'old.db'), dbPath]);
    makeReadOnly(dataDir, dbPath);
    const refused = runUnprivileged(['status', '--data-dir', dataDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/written by an older Nightshift \(schema version 1, this one needs \d+\), and upgrading it needs a write/);
    chmodSync(dataDir, 0o755);
    chmodSync(dbPath, 0o644);
    const upgraded = runCli({ args: ['status', '--data-dir', dataDir] });
    expect(upgraded.code).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });
});
