import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileEdit } from '../../../src/shared/fileEditSchema.js';
import { gateReportSchema, type GateReport } from '../../../src/shared/gateReportSchema.js';
import { projectConfigSchema, type ProjectConfig } from '../../../src/shared/projectConfigSchema.js';
import type { RailName } from '../../../src/shared/railResultSchema.js';
import type { FileChange } from '../../../src/engine/ports/Vcs.js';
import { judgeRedRun } from '../../../src/engine/gates/judgeRedRun.js';
import { runGates } from '../../../src/engine/gates/runGates.js';
import { createLocalSandbox } from '../../../src/engine/sandbox/createLocalSandbox.js';
import { detectStack } from '../../../src/engine/stack/detectStack.js';
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
}): Promise<GateRun> {
  const dir = options.dir ?? createPythonProject({ dir: makeTempDir() });
  const config = projectConfigSchema.parse({ commandTimeoutMs: 60_000, ...options.config });
  const stack = await detectStack({ root: dir, config });
  const changes = options.changes ?? (await applyEdits({ root: dir, edits: options.edits ?? [] }));
  const report = await runGates({ workspaceDir: dir, changes, scope: options.scope ?? SCOPE, stack, config, sandbox, applied: options.applied ?? true });
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
    expect(run.rail('bite').detail).toContain('without the code change and pass with it');
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
    expect(run.rail('bite').detail).toContain('the tests pass without the code change');
    expect(readFileSync(join(run.dir, 'calc.py'), 'utf8')).toContain('def divide');
    expect(run.report.verdict).toBe('NO_GO');
    expect(run.report.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it('fails bite when no test changes at all', async () => {
    const run = await gate({ edits: [addDivide()] });
    expect(run.failed()).toEqual(['bite']);
    expect(run.rail('bite').detail).toContain('no test exercises this change');
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
    expect(run.rail('test-integrity').detail).toContain('@pytest.mark.skip is added');
  });

  it('fails test-integrity when an assertion is weakened away', async () => {
    const run = await gate({
      edits: [addDivide(), divideTest(), { kind: 'replace', path: 'tests/test_calc.py', search: '    assert add(-1, -2) == -3\n', replace: '    add(-1, -2)\n' }],
    });
    expect(run.failed()).toEqual(['test-integrity']);
    expect(run.rail('test-integrity').detail).toContain('assertions drop from 2 to 1');
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
    expect(run.rail('bite')).toMatchObject({ passed: false, failureType: 'timeout' });
  });

  it('restores the code change when cancelled while the code is reverted for the bite check', async () => {
    const dir = createPythonProject({ dir: makeTempDir() });
    const config = projectConfigSchema.parse({ commandTimeoutMs: 60_000 });
    const stack = await detectStack({ root: dir, config });
    const slowTest = `import time\ntime.sleep(30)\n${DIVIDE_TEST}`;
    const changes = await applyEdits({ root: dir, edits: [addDivide(), divideTest(slowTest)] });
    const controller = new AbortController();
    const watcher = setInterval(() => {
      if (!readFileSync(join(dir, 'calc.py'), 'utf8').includes('def divide')) controller.abort(new Error('stopped by the user'));
    }, 20);
    try {
      const started = Date.now();
      await expect(
        runGates({ workspaceDir: dir, changes, scope: SCOPE, stack, config, sandbox, applied: true, signal: controller.signal }),
      ).rejects.toThrow('stopped by the user');
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      clearInterval(watcher);
    }
    expect(controller.signal.aborted).toBe(true);
    expect(readFileSync(join(dir, 'calc.py'), 'utf8')).toContain('def divide');
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
    expect(first.rail('bite').detail.split('\n')[0]).toBe('E assert 18 == 2');
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
