import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { FileEdit } from '../../../src/shared/fileEditSchema.js';
import { gateReportSchema, type GateReport } from '../../../src/shared/gateReportSchema.js';
import { projectConfigSchema, type ProjectConfig } from '../../../src/shared/projectConfigSchema.js';
import type { RailName } from '../../../src/shared/railResultSchema.js';
import type { FileChange } from '../../../src/engine/ports/Vcs.js';
import { judgeRedRun } from '../../../src/engine/gates/judgeRedRun.js';
import { runGates } from '../../../src/engine/gates/runGates.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { detectStack } from '../../../src/engine/stack/detectStack.js';
import { runTestsWithReport } from '../../../src/engine/testing/runTestsWithReport.js';
import { applyEdits } from '../../../src/engine/workspace/applyEdits.js';
import { createPythonProject } from '../../utils/createPythonProject.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const sandbox = createLocalSandbox();
afterAll(() => sandbox.dispose());

const DIVIDE = 'def divide(a, b):\n    if b == 0:\n        raise ValueError("cannot divide by zero")\n    return a / b\n';
const DIVIDE_TEST =
  'import pytest\n\nfrom calc import divide\n\n\ndef test_divide():\n    assert divide(6, 3) == 2\n\n\ndef test_divide_by_zero():\n    with pytest.raises(ValueError):\n        divide(1, 0)\n';
const addDivide = (body = DIVIDE): FileEdit => ({ kind: 'replace', path: 'calc.py', search: '    return a + b\n', replace: `    return a + b\n\n\n${body}` });
const divideTest = (content = DIVIDE_TEST): FileEdit => ({ kind: 'write', path: 'tests/test_divide.py', content });
const BASELINE_TESTS = [
  ['tests/test_calc.py::test_add', 'passed'],
  ['tests/test_calc.py::test_add_negative', 'passed'],
];
const SCOPE = { plannedFiles: ['calc.py'], testFiles: ['tests/test_divide.py', 'tests/test_calc.py'] };

interface GateRun {
  report: GateReport;
  dir: string;
  rail: (name: RailName) => GateReport['rails'][number];
  failed: () => RailName[];
}

async function gate(options: {
  edits?: FileEdit[];
  /** Changes given directly (not applied to disk) instead of edits. */
  changes?: FileChange[];
  applied?: boolean;
  config?: Partial<ProjectConfig>;
  scope?: { plannedFiles: string[]; testFiles: string[] };
  dir?: string;
  /** Runs the suite before the edits and hands its report to the gate as the baseline. */
  baseline?: boolean;
}): Promise<GateRun> {
  const dir = options.dir ?? createPythonProject({ dir: makeTempDir() });
  const config = projectConfigSchema.parse({ commandTimeoutMs: 60_000, ...options.config });
  const stack = await detectStack({ root: dir, config });
  const baseline = options.baseline ? (await runTestsWithReport({ sandbox, workspaceDir: dir, config, stack })).report : null;
  if (options.baseline) expect(baseline?.tests.map((test) => [test.id, test.outcome])).toEqual(BASELINE_TESTS);
  const changes = options.changes ?? (await applyEdits({ root: dir, edits: options.edits ?? [] }));
  const report = await runGates({ workspaceDir: dir, changes, scope: options.scope ?? SCOPE, stack, config, sandbox, applied: options.applied ?? true, baseline });
  expect(gateReportSchema.parse(report)).toEqual(report);
  expect(report.rails.map((rail) => rail.name)).toEqual([
    'path-safety',
    'protected-paths',
    'scope',
    'syntax',
    'lint',
    'typecheck',
    'test-integrity',
    'diff-size',
    'stubs',
    'bite',
    'suite',
  ]);
  return {
    report,
    dir,
    rail: (name) => report.rails.find((rail) => rail.name === name) as GateReport['rails'][number],
    failed: () => report.rails.filter((rail) => !rail.passed).map((rail) => rail.name),
  };
}

function pycacheDirs(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('__pycache__'));
}

describe('runGates on a pytest project', () => {
  it('says GO for a correct change with a biting test, and leaves the change on disk', async () => {
    const run = await gate({ edits: [addDivide(), divideTest()] });
    expect(run.failed()).toEqual([]);
    expect(run.report.verdict).toBe('GO');
    expect(run.report.fingerprint).toBeNull();
    expect(run.rail('bite').detail).toMatch(/^2 new or changed test\(s\) pass with the code; 2\/2 new test\(s\) fail with the code stubbed out; [1-9]\d*\/\d+ mutants killed/);
    expect(run.rail('lint').detail).toContain('not configured');
    expect(readFileSync(join(run.dir, 'calc.py'), 'utf8')).toContain('def divide');
    expect(pycacheDirs(run.dir)).toEqual([]);
  });

  it('runs configured lint and typecheck commands', async () => {
    const run = await gate({
      edits: [addDivide(), divideTest()],
      config: { lintCommand: 'grep -q divide calc.py', typecheckCommand: 'echo "calc.py:4: bad type" && exit 2' },
    });
    expect(run.failed()).toEqual(['typecheck']);
    expect(run.rail('typecheck')).toMatchObject({ failureType: 'patch', file: 'calc.py' });
  });

  it('fails bite when the new test passes without the code change', async () => {
    const run = await gate({
      edits: [addDivide(), divideTest('from calc import add\n\n\ndef test_add_zero():\n    assert add(0, 0) == 0\n')],
    });
    expect(run.failed()).toEqual(['bite']);
    expect(run.rail('bite')).toMatchObject({ failureType: 'bite', file: 'tests/test_divide.py' });
    expect(run.rail('bite').detail).toContain('the new tests pass with every mutant of the changed code');
    expect(run.rail('bite').detail).toContain('every new test passes with the code stubbed out (same names, no behaviour): tests/test_divide.py::test_add_zero');
    expect(readFileSync(join(run.dir, 'calc.py'), 'utf8')).toContain('def divide');
    expect(run.report.verdict).toBe('NO_GO');
    expect(run.report.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it('fails bite when no test changes at all', async () => {
    const run = await gate({ edits: [addDivide()] });
    expect(run.failed()).toEqual(['bite']);
    expect(run.rail('bite').detail).toContain('no test exercises this change');
  });

  it('fails bite for a new test that asserts nothing', async () => {
    const run = await gate({ edits: [addDivide(), divideTest('from calc import divide\n\n\ndef test_divide():\n    divide(6, 3)\n')] });
    expect(run.failed()).toEqual(['bite']);
    expect(run.rail('bite')).toMatchObject({ failureType: 'bite', file: 'tests/test_divide.py' });
    expect(run.rail('bite').detail).toContain('tests/test_divide.py::test_divide (line 4) asserts nothing');
  });

  it('fails bite for a new test that only checks that the function exists', async () => {
    const existence = 'import calc\n\n\ndef test_divide_exists():\n    assert hasattr(calc, "divide")\n    assert callable(calc.divide)\n';
    const run = await gate({ edits: [addDivide(), divideTest(existence)] });
    expect(run.failed()).toEqual(['bite']);
    expect(run.rail('bite')).toMatchObject({ failureType: 'bite', file: 'tests/test_divide.py' });
    expect(run.rail('bite').detail).toContain('tests/test_divide.py::test_divide_exists (line 4) only checks that a name exists');
  });

  it('reports which mutants the new tests miss when they kill only some', async () => {
    const loose = 'from calc import divide\n\n\ndef test_divide():\n    assert divide(6, 3) == 2\n';
    const run = await gate({ edits: [addDivide(), divideTest(loose)] });
    expect(run.failed()).toEqual([]);
    expect(run.rail('bite').detail).toMatch(/; [1-9]\d*\/\d+ mutants killed \(survived: calc\.py:\d+: /);
  });

  it('fails suite (naming the test) and test-integrity when a new conftest.py stops a baseline test file from being collected', async () => {
    const run = await gate({
      baseline: true,
      edits: [addDivide(), divideTest(), { kind: 'write', path: 'conftest.py', content: 'collect_ignore = ["tests/test_calc.py"]\n' }],
      scope: { plannedFiles: ['calc.py', 'conftest.py'], testFiles: SCOPE.testFiles },
    });
    expect(run.failed()).toEqual(['test-integrity', 'suite']);
    expect(run.rail('test-integrity').detail).toContain('conftest.py:1: `collect_ignore');
    expect(run.rail('suite').failureType).toBe('patch');
    expect(run.rail('suite').detail).toContain('tests/test_calc.py::test_add passed before the change and is gone');
    expect(run.rail('suite').detail).toContain('tests/test_calc.py::test_add_negative passed before the change and is gone');
  });

  it('passes suite against the baseline when every baseline test still passes', async () => {
    const run = await gate({ baseline: true, edits: [addDivide(), divideTest()] });
    expect(run.failed()).toEqual([]);
    expect(run.rail('suite').detail).toMatch(/^4 tests passed \(every test that passed before still passes\)/);
  });

  it('fails suite and bite for a new module that exits the process with status 0 when imported', async () => {
    const exiting = 'import os\n\nos._exit(0)\n\n\ndef divide(a, b):\n    return a / b\n';
    const run = await gate({
      edits: [{ kind: 'write', path: 'divider.py', content: exiting }, divideTest(DIVIDE_TEST.replace('from calc import divide', 'from divider import divide'))],
      scope: { plannedFiles: ['divider.py'], testFiles: SCOPE.testFiles },
    });
    expect(run.failed()).toEqual(['bite', 'suite']);
    expect(run.report.verdict).toBe('NO_GO');
    expect(run.rail('suite').detail).toContain('the suite reported no test');
    expect(run.rail('suite').detail).toContain('exit 0 proves nothing');
    expect(run.rail('bite').detail).toContain('no test report');
    expect(run.rail('bite').detail).toContain('the new tests must run and pass with the code change');
  });

  it('fails stubs (and the tests) for a placeholder implementation', async () => {
    const run = await gate({ edits: [addDivide('def divide(a, b):\n    """Divide a by b."""\n    pass\n'), divideTest()] });
    expect(run.failed()).toEqual(['stubs', 'bite', 'suite']);
    expect(run.rail('stubs')).toMatchObject({ failureType: 'patch', file: 'calc.py' });
    expect(run.rail('stubs').detail).toContain('calc.py:5: function divide has an empty body (pass)');
    expect(run.rail('bite')).toMatchObject({ failureType: 'patch', file: 'tests/test_divide.py' });
    expect(run.rail('suite').failureType).toBe('patch');
  });

  it('fails syntax with file and line for code that does not parse', async () => {
    const run = await gate({ edits: [addDivide('def divide(a, b)\n    return a / b\n'), divideTest()] });
    expect(run.rail('syntax')).toMatchObject({ passed: false, failureType: 'patch', file: 'calc.py' });
    expect(run.rail('syntax').detail).toContain('calc.py:5: SyntaxError');
    expect(run.failed()[0]).toBe('syntax');
  });

  it('fails protected-paths for lockfiles and CI configuration', async () => {
    const run = await gate({
      edits: [addDivide(), divideTest(), { kind: 'write', path: 'poetry.lock', content: '' }, { kind: 'write', path: '.github/workflows/ci.yml', content: 'on: push\n' }],
    });
    expect(run.failed()).toEqual(['protected-paths']);
    expect(run.rail('protected-paths').detail).toContain('poetry.lock is protected (a lockfile');
    expect(run.rail('protected-paths').detail).toContain('.github/workflows/ci.yml is protected (CI configuration');
  });

  it('fails test-integrity when a test file is deleted', async () => {
    const run = await gate({ edits: [addDivide(), divideTest(), { kind: 'delete', path: 'tests/test_calc.py' }] });
    expect(run.failed()).toEqual(['test-integrity']);
    expect(run.rail('test-integrity')).toMatchObject({ failureType: 'scope', file: 'tests/test_calc.py' });
    expect(run.rail('test-integrity').detail).toContain('the test file is deleted');
  });

  it('fails test-integrity when an existing test is skipped', async () => {
    const run = await gate({
      edits: [
        addDivide(),
        divideTest(),
        { kind: 'replace', path: 'tests/test_calc.py', search: 'from calc import add\n', replace: 'import pytest\n\nfrom calc import add\n' },
        { kind: 'replace', path: 'tests/test_calc.py', search: 'def test_add_negative', replace: '@pytest.mark.skip(reason="flaky")\ndef test_add_negative' },
      ],
    });
    expect(run.failed()).toEqual(['test-integrity']);
    expect(run.rail('test-integrity').detail).toContain('tests/test_calc.py:10: test tests/test_calc.py::test_add_negative: gains a skip marker');
  });

  it('fails test-integrity when an assertion is weakened away', async () => {
    const run = await gate({
      edits: [addDivide(), divideTest(), { kind: 'replace', path: 'tests/test_calc.py', search: '    assert add(-1, -2) == -3\n', replace: '    add(-1, -2)\n' }],
    });
    // The weakened test is a changed test too, and bite refuses a test that asserts nothing.
    expect(run.failed()).toEqual(['test-integrity', 'bite']);
    expect(run.rail('test-integrity')).toMatchObject({ failureType: 'scope', file: 'tests/test_calc.py' });
    expect(run.rail('test-integrity').detail).toContain('tests/test_calc.py:8: test tests/test_calc.py::test_add_negative: has fewer assertions (1 -> 0)');
    expect(run.rail('bite').detail).toContain('tests/test_calc.py::test_add_negative (line 8) asserts nothing');
  });

  it('fails diff-size for a change over maxDiffLines', async () => {
    const run = await gate({ edits: [addDivide(), divideTest()], config: { maxDiffLines: 10 } });
    expect(run.failed()).toEqual(['diff-size']);
    expect(run.rail('diff-size').detail).toContain('limit 10');
  });

  it('fails scope when an unplanned existing file is modified', async () => {
    const run = await gate({
      edits: [addDivide(), divideTest(), { kind: 'replace', path: 'util.py', search: 'max(low', replace: 'max( low' }],
    });
    expect(run.failed()).toEqual(['scope']);
    expect(run.rail('scope')).toMatchObject({ failureType: 'scope', file: 'util.py' });
  });

  it('fails path-safety for an escaping path and runs no command', async () => {
    const dir = createPythonProject({ dir: makeTempDir() });
    const run = await gate({
      dir,
      applied: false,
      changes: [
        { path: 'calc.py', before: 'x', after: 'y' },
        { path: '../escape.py', before: null, after: 'import os\n' },
      ],
    });
    expect(run.rail('path-safety')).toMatchObject({ passed: false, failureType: 'scope', file: '../escape.py' });
    for (const name of ['syntax', 'lint', 'typecheck', 'bite', 'suite'] as const) {
      expect(run.rail(name)).toMatchObject({ passed: false, skipped: true });
      expect(run.rail(name).detail).toContain('could not be written');
    }
    expect(readFileSync(join(dir, 'calc.py'), 'utf8')).toContain('def add');
  });

  it('fails path-safety for a symlink escape and skips the command rails even if the caller wrote the change', async () => {
    const dir = createPythonProject({ dir: makeTempDir() });
    const outside = makeTempDir();
    symlinkSync(outside, join(dir, 'vendor'));
    const run = await gate({ dir, changes: [{ path: 'vendor/evil.py', before: null, after: 'x = 1\n' }] });
    expect(run.rail('path-safety').detail).toContain('passes through the symlink "vendor"');
    expect(run.rail('suite')).toMatchObject({ skipped: true, passed: false });
    expect(run.rail('suite').detail).toContain('path-safety');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('reports a suite that times out as timeout', async () => {
    const slowTest = DIVIDE_TEST.replace('def test_divide():\n', 'def test_divide():\n    import time\n    time.sleep(30)\n');
    const run = await gate({ edits: [addDivide(), divideTest(slowTest)], config: { commandTimeoutMs: 4_000 } });
    expect(run.rail('suite')).toMatchObject({ passed: false, failureType: 'timeout' });
    expect(run.rail('suite').detail).toContain('timed out');
    // The new tests' run with the code times out, so bite knows nothing either: that is a timeout, not a bad patch.
    expect(run.rail('bite')).toMatchObject({ passed: false, failureType: 'timeout' });
  });

  it('restores the code change when cancelled while the code is stubbed for the bite check', async () => {
    const dir = createPythonProject({ dir: makeTempDir() });
    const config = projectConfigSchema.parse({ commandTimeoutMs: 60_000 });
    const stack = await detectStack({ root: dir, config });
    // Quick with the real divide, 30 s with the stub, so the cancel lands while the stubbed run is going.
    const slowWhenStubbed = `import time\n\nfrom calc import divide\n\nif divide(6, 3) != 2:\n    time.sleep(30)\n${DIVIDE_TEST.replace('from calc import divide\n', '')}`;
    const changes = await applyEdits({ root: dir, edits: [addDivide(), divideTest(slowWhenStubbed)] });
    const withDivide = changes.find((change) => change.path === 'calc.py')?.after;
    expect(withDivide).toContain('def divide');
    const controller = new AbortController();
    let abortedAt = 0;
    // bite swaps calc.py for a stub that keeps `def divide`, so any content but the change's means the code is out.
    const watcher = setInterval(() => {
      if (!controller.signal.aborted && existsSync(join(dir, 'calc.py')) && readFileSync(join(dir, 'calc.py'), 'utf8') !== withDivide) {
        abortedAt = Date.now();
        controller.abort(new Error('stopped by the user'));
      }
    }, 20);
    onTestFinished(() => clearInterval(watcher));
    await expect(
      runGates({ workspaceDir: dir, changes, scope: SCOPE, stack, config, sandbox, applied: true, signal: controller.signal }),
    ).rejects.toThrow('stopped by the user');
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(20_000);
    expect(readFileSync(join(dir, 'calc.py'), 'utf8')).toBe(withDivide);
  });

  it('reports a missing test runner as environment', async () => {
    const run = await gate({ edits: [addDivide(), divideTest()], config: { testCommand: 'nightshift-no-such-runner -q' } });
    expect(run.failed()).toEqual(['suite']);
    expect(run.rail('suite').failureType).toBe('environment');
  });

  it('gives the same fingerprint for the same failure in different workspaces', async () => {
    const wrong = addDivide('def divide(a, b):\n    return a * b\n');
    const first = await gate({ edits: [wrong, divideTest()] });
    const second = await gate({ edits: [wrong, divideTest()] });
    expect(first.dir).not.toBe(second.dir);
    expect(first.failed()).toEqual(['bite', 'suite']);
    // The runner's message, decoded from the JUnit XML, starts with the failed assertion.
    expect(first.rail('bite').detail.split('\n')[0]).toBe('tests/test_divide.py::test_divide failed: assert 18 == 2');
    expect(first.report.fingerprint).toBe(second.report.fingerprint);
    const other = await gate({ edits: [addDivide('def divide(a, b):\n    return a // 0\n'), divideTest()] });
    expect(other.report.fingerprint).not.toBe(first.report.fingerprint);
  });
});

describe('judgeRedRun on real pytest runs', () => {
  async function red(testContent: string) {
    const dir = createPythonProject({ dir: makeTempDir() });
    const config = projectConfigSchema.parse({});
    const stack = await detectStack({ root: dir, config });
    await applyEdits({ root: dir, edits: [divideTest(testContent)] });
    const result = await sandbox.run({
      command: stack.testFileCommand(['tests/test_divide.py']),
      workspaceDir: dir,
      env: { PYTHONDONTWRITEBYTECODE: '1' },
      timeoutMs: 60_000,
      outputLimitBytes: 1_000_000,
    });
    return judgeRedRun({ stack, result, testFile: 'tests/test_divide.py' });
  }

  it('accepts a test that fails because the function does not exist yet', async () => {
    const verdict = await red(DIVIDE_TEST);
    expect(verdict.ok).toBe(true);
    expect(verdict.reason).toContain("cannot import name 'divide'");
  });

  it('accepts a failing assertion', async () => {
    expect(await red('from calc import add\n\n\ndef test_add_wrong():\n    assert add(2, 2) == 5\n')).toMatchObject({ ok: true });
  });

  it('rejects a test that already passes, one that does not parse, and one with no tests', async () => {
    expect(await red('from calc import add\n\n\ndef test_add():\n    assert add(2, 2) == 4\n')).toMatchObject({ ok: false, failureType: 'bite' });
    expect(await red('def test_divide(:\n    pass\n')).toMatchObject({ ok: false, failureType: 'patch' });
    expect(await red('X = 1\n')).toMatchObject({ ok: false, failureType: 'patch' });
  });
});

describe('python fixture', () => {
  it('is a passing pytest project', async () => {
    const dir = createPythonProject({ dir: makeTempDir() });
    mkdirSync(join(dir, 'extra'));
    const result = await sandbox.run({ command: 'python3 -m pytest -q -p no:cacheprovider', workspaceDir: dir, timeoutMs: 60_000, outputLimitBytes: 100_000 });
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(dir, 'tests/test_calc.py'))).toBe(true);
  });
});
