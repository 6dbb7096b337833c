import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import type { NightshiftErrorData } from '../../../src/shared/NightshiftErrorData.js';
import { defaultProjectSettings, type ProjectSettings } from '../../../src/shared/projectSettingsSchema.js';
import type { ProtocolResult } from '../../../src/shared/protocol.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { createNodeProject, nodeProjectFiles } from '../../utils/createNodeProject.js';
import { pythonProjectFiles } from '../../utils/createPythonProject.js';
import { dockerSkipNote, findTestDocker } from '../../utils/findTestDocker.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

const docker = await findTestDocker();

/** Settings that run the suite loose on this machine: quick, for tests about counts and output. */
const LOCAL: ProjectSettings = { ...defaultProjectSettings, sandbox: 'local', allowUnsandboxed: true };

const FAILING_TEST = 'from calc import add\n\n\ndef test_add_wrong():\n    assert add(2, 2) == 5, "two and two"\n';

function ok<T>(result: ProtocolResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function refused<T>(result: ProtocolResult<T>): NightshiftErrorData {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value).slice(0, 300)}`);
  return result.error;
}

/** A host over a fresh data directory with a clock the test moves. */
function startHost(): { host: MainHost; root: string; tick: (ms: number) => void } {
  const root = makeTempDir();
  let now = 1_763_676_000_000;
  const host = createMainHost({ dataDir: join(root, 'data'), clock: { now: () => now } });
  onTestFinished(() => host.dispose());
  return { host, root, tick: (ms) => (now += ms) };
}

/**
 * The user's repository as snapshotUserRepo sees it, once git itself has settled the index: the snapshot's own
 * `git status` rewrites an index whose entries are as new as the files (racily clean) right after a commit.
 */
function settledSnapshot(repo: string): Record<string, string> {
  snapshotUserRepo(repo);
  return snapshotUserRepo(repo);
}

function repoWith(root: string, name: string, files: Record<string, string>): string {
  return realpathSync(createGitRepo({ dir: join(root, name), commits: [{ files }] }));
}

describe('project messages', () => {
  it('inspects a Python project: branch, head, changed files, pytest detected from pyproject.toml, defaults', async () => {
    const { host, root } = startHost();
    const repo = repoWith(root, 'calc', pythonProjectFiles);
    ok(await host.handle('project/open', { path: repo }));
    writeFileSync(join(repo, 'calc.py'), 'def add(a, b):\n    return b + a\n');
    writeFileSync(join(repo, 'notes.txt'), 'untracked\n');
    const before = settledSnapshot(repo);

    const details = ok(await host.handle('project/inspect', { projectPath: repo }));
    expect(snapshotUserRepo(repo)).toEqual(before);
    expect(details.project).toMatchObject({ path: repo, name: 'calc', sessions: 0, backlogTasks: 0, available: true });
    expect(details.git).toEqual({ branch: 'main', head: git(repo, 'rev-parse', 'HEAD'), dirtyFiles: 2, problems: [] });
    expect(details.stack).toEqual({ language: 'python', testCommand: 'python3 -m pytest -q -p no:cacheprovider', source: 'detected from pyproject.toml' });
    expect(details.config).toEqual({ present: false, values: {}, error: null });
    expect(details.settings).toEqual(defaultProjectSettings);
    expect(details.baseline).toBeNull();
    expect(details.sandbox.error).toBeNull();
    expect(details.sandbox.isolated).toBe(true);
    expect(['docker', 'bubblewrap']).toContain(details.sandbox.kind);
    if (docker.docker) expect(details.sandbox.detail).toMatch(/nightshift\/sandbox-python/);
  });

  it('inspects a Node project with its committed nightshift.json, and says when the working copy differs', async () => {
    const { host, root } = startHost();
    const config = { testCommand: 'node --test test/', maxAttempts: 2, sandbox: 'local' };
    const repo = repoWith(root, 'web', { ...nodeProjectFiles, 'nightshift.json': JSON.stringify(config) });
    ok(await host.handle('project/open', { path: repo }));

    const details = ok(await host.handle('project/inspect', { projectPath: repo }));
    expect(details.stack).toEqual({ language: 'javascript', testCommand: 'node --test test/', source: 'nightshift.json (testCommand)' });
    expect(details.config).toEqual({ present: true, values: config, error: null });
    expect(details.git.problems).toEqual([]);
    expect(details.sandbox).toMatchObject({ kind: 'local', isolated: false, error: { code: 'UNSANDBOXED_NOT_ALLOWED' } });

    writeFileSync(join(repo, 'nightshift.json'), JSON.stringify({ ...config, allowUnsandboxed: true }));
    const edited = ok(await host.handle('project/inspect', { projectPath: repo }));
    expect(edited.config.values).toEqual(config);
    expect(edited.git.problems).toEqual([expect.stringMatching(/nightshift\.json has uncommitted changes/)]);
    expect(edited.sandbox.error?.code).toBe('UNSANDBOXED_NOT_ALLOWED');

    // Running loose is the app's own opt-in (as sessions from the app take it), not nightshift.json's.
    git(repo, 'commit', '-qam', 'allow unsandboxed');
    expect(ok(await host.handle('project/inspect', { projectPath: repo })).sandbox.error?.code).toBe('UNSANDBOXED_NOT_ALLOWED');
    const allowed = ok(await host.handle('project/settings', { projectPath: repo, settings: { ...defaultProjectSettings, allowUnsandboxed: true } }));
    expect(allowed.sandbox).toMatchObject({ kind: 'local', isolated: false, error: null });
  });

  it('inspects a repository without a commit: no head, the problem with its fix', async () => {
    const { host, root } = startHost();
    const repo = realpathSync(createGitRepo({ dir: join(root, 'fresh') }));
    createNodeProject({ dir: repo });
    ok(await host.handle('project/open', { path: repo }));

    const details = ok(await host.handle('project/inspect', { projectPath: repo }));
    expect(details.git.branch).toBeNull();
    expect(details.git.head).toBeNull();
    expect(details.git.problems).toEqual([expect.stringMatching(/no commits yet.*Make a first commit/s)]);
    expect(details.stack).toMatchObject({ language: 'javascript', testCommand: 'node --test' });
    const baseline = refused(await host.handle('project/baseline', { projectPath: repo }));
    expect(baseline.code).toBe('EMPTY_REPO');
  });

  it('shows an invalid nightshift.json as written with why it is refused, without failing the inspection', async () => {
    const { host, root } = startHost();
    const repo = repoWith(root, 'calc', { ...pythonProjectFiles, 'nightshift.json': JSON.stringify({ maxAttempts: 0, colour: 'blue' }) });
    ok(await host.handle('project/open', { path: repo }));

    const details = ok(await host.handle('project/inspect', { projectPath: repo }));
    expect(details.config.present).toBe(true);
    expect(details.config.values).toEqual({ maxAttempts: 0, colour: 'blue' });
    expect(details.config.error).toMatchObject({ code: 'PROJECT_CONFIG_INVALID', context: { field: expect.stringMatching(/maxAttempts|colour/) } });
    expect(details.stack.language).toBe('python');

    writeFileSync(join(repo, 'nightshift.json'), '{ not json');
    git(repo, 'commit', '-qam', 'break the config');
    const broken = ok(await host.handle('project/inspect', { projectPath: repo }));
    expect(broken.config).toMatchObject({ present: true, values: {}, error: { code: 'PROJECT_CONFIG_INVALID', context: { field: null } } });
  });

  it('saves settings and refuses bad ones naming the field, keeping what was saved', async () => {
    const { host, root } = startHost();
    const repo = repoWith(root, 'calc', pythonProjectFiles);
    git(repo, 'branch', 'release');
    ok(await host.handle('project/open', { path: repo }));

    const direct: ProjectSettings = { ...defaultProjectSettings, mode: 'direct', targetBranch: 'release', maxTasks: 3, sandbox: 'local', allowUnsandboxed: true };
    const saved = ok(await host.handle('project/settings', { projectPath: repo, settings: direct }));
    expect(saved.settings).toEqual(direct);
    expect(saved.sandbox).toMatchObject({ kind: 'local', isolated: false, error: null });
    expect(ok(await host.handle('project/inspect', { projectPath: repo })).settings).toEqual(direct);

    const cases: Array<[Partial<ProjectSettings>, string, RegExp]> = [
      [{ targetBranch: 'main' }, 'targetBranch', /checked out/],
      [{ targetBranch: 'nope' }, 'targetBranch', /no branch "nope"/],
      [{ targetBranch: 'bad..name' }, 'targetBranch', /not a branch name/],
      [{ models: 'gpt:4' }, 'models', /no known model backend/],
      [{ models: 'openai:not-a-url' }, 'models', /http\(s\) base URL/],
    ];
    for (const [change, field, reason] of cases) {
      const error = refused(await host.handle('project/settings', { projectPath: repo, settings: { ...direct, ...change } }));
      expect(error.code).toBe('PROJECT_SETTINGS_INVALID');
      expect(error.context).toMatchObject({ field, reason: expect.stringMatching(reason) });
    }
    const schema = refused(await host.handle('project/settings', { projectPath: repo, settings: { ...direct, maxAttempts: 0 } }));
    expect(schema.code).toBe('INVALID_REQUEST');
    expect(String(schema.context.issues)).toMatch(/settings\.maxAttempts/);
    // The schema's refusal names the field too, so the form shows it next to the input.
    expect(schema.context).toMatchObject({ field: 'settings.maxAttempts', reason: expect.stringMatching(/>=1|at least|too small/i) });
    expect(ok(await host.handle('project/inspect', { projectPath: repo })).settings).toEqual(direct);
  });

  it('lists recent projects most recently opened first with their counts, and forgets one until it is opened again', async () => {
    const { host, root, tick } = startHost();
    const calc = repoWith(root, 'calc', pythonProjectFiles);
    const web = repoWith(root, 'web', nodeProjectFiles);
    ok(await host.handle('project/open', { path: calc }));
    tick(1000);
    ok(await host.handle('project/open', { path: web }));
    ok(await host.handle('backlog/save', { projectPath: calc, task: { id: 'T1', title: 'Divide', description: '', dependsOn: [], targetFiles: [] } }));

    const list = ok(await host.handle('project/list', {}));
    expect(list.map((project) => [project.name, project.backlogTasks, project.available])).toEqual([
      ['web', 0, true],
      ['calc', 1, true],
    ]);
    expect(list[0]!.lastOpenedAt - list[1]!.lastOpenedAt).toBe(1000);

    tick(1000);
    ok(await host.handle('project/open', { path: calc }));
    expect(ok(await host.handle('project/list', {})).map((project) => project.name)).toEqual(['calc', 'web']);

    expect(ok(await host.handle('project/forget', { projectPath: calc })).map((project) => project.name)).toEqual(['web']);
    expect(ok(await host.handle('backlog/list', { projectPath: calc })).map((task) => task.id)).toEqual(['T1']);
    ok(await host.handle('project/open', { path: calc }));
    expect(ok(await host.handle('project/list', {})).map((project) => [project.name, project.backlogTasks])).toEqual([
      ['calc', 1],
      ['web', 0],
    ]);

    rmSync(join(web, '.git'), { recursive: true, force: true });
    expect(ok(await host.handle('project/list', {})).find((project) => project.name === 'web')?.available).toBe(false);
  });

  it('runs the baseline at HEAD: a passing Python suite with its counts, recorded for inspect, the tree untouched', async () => {
    const { host, root } = startHost();
    const repo = repoWith(root, 'calc', pythonProjectFiles);
    // Uncommitted edits that would fail the suite: the baseline must not see them.
    writeFileSync(join(repo, 'calc.py'), 'def add(a, b):\n    return a - b\n');
    ok(await host.handle('project/open', { path: repo }));
    ok(await host.handle('project/settings', { projectPath: repo, settings: LOCAL }));
    const before = settledSnapshot(repo);

    const baseline = ok(await host.handle('project/baseline', { projectPath: repo }));
    expect(baseline).toMatchObject({
      commit: git(repo, 'rev-parse', 'HEAD'),
      ok: true,
      passed: 2,
      failed: 0,
      errored: 0,
      skipped: 0,
      failing: [],
      command: 'python3 -m pytest -q -p no:cacheprovider',
      sandbox: 'local (unsandboxed)',
      hint: null,
    });
    expect(baseline.output).toMatch(/2 passed/);
    expect(snapshotUserRepo(repo)).toEqual(before);
    expect(ok(await host.handle('project/inspect', { projectPath: repo })).baseline).toEqual(baseline);
  });

  it('runs a failing Node baseline: failing ids, output and a hint', async () => {
    const { host, root } = startHost();
    const failing =
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/calc.js';\n\ntest('adds wrongly', () => {\n  assert.equal(add(2, 2), 5);\n});\n";
    const repo = repoWith(root, 'web', { ...nodeProjectFiles, 'test/wrong.test.js': failing });
    ok(await host.handle('project/open', { path: repo }));
    ok(await host.handle('project/settings', { projectPath: repo, settings: LOCAL }));
    const before = settledSnapshot(repo);

    const baseline = ok(await host.handle('project/baseline', { projectPath: repo }));
    expect(baseline).toMatchObject({ ok: false, passed: 1, failed: 1, command: 'node --test', hint: expect.stringMatching(/Make the suite pass at HEAD/) });
    expect(baseline.failing).toEqual([expect.stringMatching(/adds wrongly/)]);
    expect(baseline.output).toMatch(/adds wrongly/);
    expect(snapshotUserRepo(repo)).toEqual(before);
  });

  it(dockerSkipNote(docker, 'runs a failing Python baseline in the Docker sandbox sessions use'), { timeout: 240_000, skip: !docker.docker }, async () => {
    const { host, root } = startHost();
    const repo = repoWith(root, 'calc', { ...pythonProjectFiles, 'tests/test_wrong.py': FAILING_TEST });
    ok(await host.handle('project/open', { path: repo }));
    ok(await host.handle('project/settings', { projectPath: repo, settings: { ...defaultProjectSettings, sandbox: 'docker' } }));
    const before = settledSnapshot(repo);

    const baseline = ok(await host.handle('project/baseline', { projectPath: repo }));
    expect(baseline).toMatchObject({ ok: false, passed: 2, failed: 1, errored: 0, sandbox: 'docker', failing: ['tests/test_wrong.py::test_add_wrong'] });
    expect(baseline.output).toMatch(/two and two/);
    expect(baseline.hint).toMatch(/allow a failing baseline/);
    expect(snapshotUserRepo(repo)).toEqual(before);
  });

  it('keeps the last 64 KiB of a loud suite without a report, judged by its exit code', async () => {
    const { host, root } = startHost();
    const loud = `python3 -c "print('HEAD' + 'MARK'); print('x' * 200000); print('TAIL' + 'MARK')"; exit 3`;
    const repo = repoWith(root, 'loud', { 'README.md': '# loud\n', 'nightshift.json': JSON.stringify({ testCommand: loud }) });
    ok(await host.handle('project/open', { path: repo }));
    ok(await host.handle('project/settings', { projectPath: repo, settings: LOCAL }));

    const baseline = ok(await host.handle('project/baseline', { projectPath: repo }));
    expect(baseline).toMatchObject({ ok: false, passed: 0, failed: 0, failing: [], command: loud });
    expect(Buffer.byteLength(baseline.output)).toBeLessThanOrEqual(64 * 1024);
    expect(/^\[\.\.\. \d+ bytes cut \.\.\.\]\nx/.test(baseline.output)).toBe(true);
    // Plain booleans: a failed match would print 64 KiB.
    expect(baseline.output.includes('HEADMARK')).toBe(false);
    expect(/TAILMARK\n\[nightshift: no test report: /.test(baseline.output)).toBe(true);
  });

  it('says how to get past a suite that does not finish in time', async () => {
    const { host, root } = startHost();
    const slow = "import { test } from 'node:test';\n\ntest('waits', () => new Promise((resolve) => setTimeout(resolve, 30000)));\n";
    const repo = repoWith(root, 'slow', { ...nodeProjectFiles, 'test/slow.test.js': slow, 'nightshift.json': JSON.stringify({ commandTimeoutMs: 1500 }) });
    ok(await host.handle('project/open', { path: repo }));
    ok(await host.handle('project/settings', { projectPath: repo, settings: LOCAL }));

    const baseline = ok(await host.handle('project/baseline', { projectPath: repo }));
    expect(baseline.ok).toBe(false);
    expect(baseline.hint).toMatch(/did not finish within 1500 ms.*commandTimeoutMs/);
    expect(baseline.durationMs).toBeLessThan(20_000);
  });

  it('records a baseline that cannot run (no sandbox allowed) as failed with the sandbox hint', async () => {
    const { host, root } = startHost();
    const repo = repoWith(root, 'calc', pythonProjectFiles);
    ok(await host.handle('project/open', { path: repo }));
    ok(await host.handle('project/settings', { projectPath: repo, settings: { ...defaultProjectSettings, sandbox: 'local' } }));

    const baseline = ok(await host.handle('project/baseline', { projectPath: repo }));
    expect(baseline).toMatchObject({ ok: false, passed: 0, sandbox: 'none', command: 'python3 -m pytest -q -p no:cacheprovider' });
    expect(baseline.output).toMatch(/unsandboxed/);
    expect(baseline.hint).not.toBeNull();
    expect(ok(await host.handle('project/inspect', { projectPath: repo })).baseline).toEqual(baseline);
  });
});
