import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../../src/engine/preflight/PreflightReport.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import { openDataDir } from '../../../src/engine/store/openDataDir.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { closedLocalPort } from '../../utils/closedLocalPort.js';
import { git, writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

// The loop's logic is under test here, not isolation: the local runner keeps these fast everywhere.
const LOCAL = ['--sandbox', 'local', '--allow-unsandboxed'];

function setup() {
  const root = makeTempDir();
  const { repoDir, scriptPath } = createPythonFixture({ parent: root });
  const dataDir = join(root, 'data');
  const records = () => {
    const store = createSqliteStore({ path: openDataDir({ dir: dataDir }).dbPath });
    try {
      const sessions = store.listSessions();
      const tasks = sessions.flatMap((session) => store.listTaskRuns(session.id));
      return { sessions, tasks, attempts: tasks.flatMap((task) => store.listAttempts(task.id)) };
    } finally {
      store.dispose();
    }
  };
  return { root, repoDir, scriptPath, dataDir, records };
}

describe('preflight: a night that cannot succeed does not start', () => {
  it('refuses an unreachable model endpoint at once: exit 3, session blocked, no attempt, the URL named', async () => {
    const { repoDir, dataDir, records } = setup();
    const port = await closedLocalPort();
    const started = Date.now();
    const run = runCli({ args: ['run', repoDir, '--models', `openai:http://127.0.0.1:${port}/v1#m`, '--data-dir', dataDir, ...LOCAL] });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`http://127.0.0.1:${port}/v1/chat/completions`);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(run.stderr).toMatch(/fix: Start the model server/);
    expect(Date.now() - started).toBeLessThan(60_000);

    const { sessions, tasks, attempts } = records();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ status: 'blocked' });
    expect(sessions[0]!.reason).toContain(`http://127.0.0.1:${port}/v1`);
    expect(tasks.every((task) => task.status === 'queued')).toBe(true);
    expect(attempts).toEqual([]);

    const status = runCli({ args: ['status', '--data-dir', dataDir] });
    expect(status.stdout).toMatch(/blocked/);
    expect(status.stdout).toContain(`http://127.0.0.1:${port}/v1`);
  }, 180_000);

  it('refuses a suite that fails at HEAD with its output, and --allow-failing-baseline lets the night run', () => {
    const { repoDir, scriptPath, dataDir, records } = setup();
    writeFiles(repoDir, { 'tests/test_legacy.py': 'def test_legacy_rounding():\n    assert round(2.675, 2) == 2.68, "legacy rounding drifted"\n' });
    git(repoDir, 'add', '-A');
    git(repoDir, 'commit', '-q', '-m', 'legacy test that fails');
    const args = ['run', repoDir, '--models', `scripted:${scriptPath}`, '--data-dir', dataDir, '--max-tasks', '1', ...LOCAL];

    const refused = runCli({ args });
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(/✗ test suite passes at the starting commit: Already failing before any change: tests\/test_legacy.py::test_legacy_rounding \(failed\)/);
    expect(refused.stderr).toContain('legacy rounding drifted');
    expect(refused.stderr).toContain('--allow-failing-baseline');
    expect(records().attempts).toEqual([]);

    const allowed = runCli({ args: [...args, '--allow-failing-baseline', '--json'] });
    expect(allowed.code, allowed.stderr).not.toBe(3);
    const { sessions, tasks } = records();
    // The blocked session resumed rather than a second one starting.
    expect(sessions).toHaveLength(1);
    expect(tasks.find((task) => task.spec.id === 'T1')).toMatchObject({ status: 'done' });
    expect(allowed.stdout).toMatch(/"level":"warn","message":"preflight: test suite passes at the starting commit: Already failing/);
  }, 300_000);

  it('nightshift doctor on a healthy project: every check ok, exit 0, and --json parses', () => {
    const { repoDir, scriptPath, dataDir } = setup();
    const args = ['doctor', '--project', repoDir, '--models', `scripted:${scriptPath}`, '--data-dir', dataDir, ...LOCAL];
    const text = runCli({ args });
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Preflight: ready\n/);
    for (const title of ['disk space', 'git repository', 'backlog parses', 'brain model answers', 'coder model answers', 'qa model answers', 'sandbox runs commands', 'test runner exists', 'test suite passes']) {
      expect(text.stdout).toMatch(new RegExp(`^  ✓ ${title}`, 'm'));
    }

    const json = runCli({ args: [...args, '--json'] });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as PreflightReport;
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.id)).toEqual(['disk', 'repository', 'backlog', 'model:brain', 'model:coder', 'model:qa', 'sandbox', 'runner', 'baseline']);
    expect(report.checks.every((check) => check.status === 'ok')).toBe(true);
    // Doctor records nothing and leaves no workspace behind.
    expect(runCli({ args: ['status', '--data-dir', dataDir] }).stdout).toMatch(/No sessions yet/);
  }, 180_000);
});
