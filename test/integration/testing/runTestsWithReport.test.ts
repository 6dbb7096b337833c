import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectConfigSchema } from '../../../src/shared/projectConfigSchema.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { detectStack } from '../../../src/engine/stack/detectStack.js';
import { runTestsWithReport } from '../../../src/engine/testing/runTestsWithReport.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const config = projectConfigSchema.parse({ commandTimeoutMs: 180_000 });
const sandbox = createLocalSandbox();

async function run(files: Record<string, string>, options: { only?: string[]; linkNodeModules?: boolean } = {}) {
  const dir = makeTempDir();
  writeFiles(dir, files);
  if (options.linkNodeModules) symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
  const stack = await detectStack({ root: dir, config });
  const run = await runTestsWithReport({ sandbox, workspaceDir: dir, config, stack, ...(options.only ? { files: options.only } : {}) });
  return { dir, ...run };
}

const outcomes = (report: { tests: Array<{ id: string; outcome: string }> } | null) =>
  Object.fromEntries((report?.tests ?? []).map((test) => [test.id, test.outcome]));

describe('runTestsWithReport', () => {
  it('reads pytest per test id: classes, parameters, failures, errors, skips', async () => {
    const { report, result } = await run({
      'pytest.ini': '[pytest]\n',
      'tests/test_cart.py': [
        'import pytest',
        '',
        '@pytest.fixture',
        'def broken():',
        '    raise RuntimeError("fixture broke")',
        '',
        'class TestTotals:',
        '    def test_sum(self):',
        '        assert 1 + 1 == 3',
        '    def test_ok(self):',
        '        assert True',
        '',
        'class TestOther:',
        '    def test_ok(self):',
        '        assert True',
        '',
        '@pytest.mark.parametrize("n", [1, 2])',
        'def test_param(n):',
        '    assert n',
        '',
        'def test_setup(broken):',
        '    assert True',
        '',
        '@pytest.mark.skip(reason="later")',
        'def test_skipped():',
        '    assert False',
        '',
      ].join('\n'),
    });
    expect(result.exitCode).toBe(1);
    expect(outcomes(report)).toEqual({
      'tests/test_cart.py::TestTotals::test_sum': 'failed',
      'tests/test_cart.py::TestTotals::test_ok': 'passed',
      'tests/test_cart.py::TestOther::test_ok': 'passed',
      'tests/test_cart.py::test_param[1]': 'passed',
      'tests/test_cart.py::test_param[2]': 'passed',
      'tests/test_cart.py::test_setup': 'errored',
      'tests/test_cart.py::test_skipped': 'skipped',
    });
    expect(report?.tests.find((test) => test.id.endsWith('test_sum'))?.message).toContain('assert (1 + 1) == 3');
    expect(report?.loadErrors).toEqual([]);
  });

  it('runs Python without bytecode: installed packages load their shipped bytecode, a same-size rewrite is never served stale', async () => {
    const files = {
      'pytest.ini': '[pytest]\n',
      'calc.py': 'def pick(a, b):\n    return a if a > b else b\n',
      'tests/test_env.py': [
        'import sys',
        'from calc import pick',
        '',
        'def test_no_cache_prefix():',
        '    assert sys.pycache_prefix is None and sys.dont_write_bytecode',
        '',
        'def test_pick():',
        '    assert pick(1, 2) == 2',
        '',
      ].join('\n'),
    };
    const first = await run(files);
    expect(outcomes(first.report)).toEqual({ 'tests/test_env.py::test_no_cache_prefix': 'passed', 'tests/test_env.py::test_pick': 'passed' });
    // The mutant a bite run writes: same size, same second.
    writeFiles(first.dir, { 'calc.py': 'def pick(a, b):\n    return a if a < b else b\n' });
    const stack = await detectStack({ root: first.dir, config });
    const mutant = await runTestsWithReport({ sandbox, workspaceDir: first.dir, config, stack });
    expect(outcomes(mutant.report)['tests/test_env.py::test_pick']).toBe('failed');
    expect(readdirSync(first.dir, { recursive: true, encoding: 'utf8' }).filter((path) => path.includes('__pycache__'))).toEqual([]);
  });

  it('reports a pytest module that cannot be collected as a load error', async () => {
    const { report } = await run({ 'pytest.ini': '[pytest]\n', 'tests/test_a.py': 'import missing_thing\n\ndef test_a():\n    assert True\n' });
    expect(report?.tests).toEqual([]);
    expect(report?.loadErrors).toHaveLength(1);
    expect(report?.loadErrors[0]?.file).toBe('tests/test_a.py');
    expect(report?.loadErrors[0]?.message).toContain("No module named 'missing_thing'");
  });

  it('has no report when a module exits the process at import, so an exit 0 is not a pass', async () => {
    const { report, reportProblem } = await run({
      'pytest.ini': '[pytest]\n',
      'calc.py': 'import os\nos._exit(0)\n',
      'tests/test_a.py': 'import calc\n\ndef test_a():\n    assert True\n',
    });
    expect(report).toBeNull();
    expect(reportProblem).toContain('wrote no report');
  });

  it("reads node's test runner: describe chains, failures, skips and a file that cannot load", async () => {
    const { report } = await run({
      'package.json': JSON.stringify({ name: 'x', type: 'module', scripts: { test: 'node --test' } }),
      'test/cart.test.js': [
        "import { describe, it, test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "describe('cart', () => {",
        "  describe('totals', () => {",
        "    it('adds', () => assert.equal(1 + 1, 3));",
        "    it('ok', () => assert.ok(true));",
        '  });',
        "  it('later', { skip: true }, () => {});",
        '});',
        "test('top', () => assert.ok(true));",
        '',
      ].join('\n'),
      'test/broken.test.js': "import './nowhere.js';\n",
    });
    expect(outcomes(report)).toEqual({
      'test/cart.test.js::cart::totals::adds': 'failed',
      'test/cart.test.js::cart::totals::ok': 'passed',
      'test/cart.test.js::cart::later': 'skipped',
      'test/cart.test.js::top': 'passed',
    });
    expect(report?.loadErrors.map((error) => error.file)).toEqual(['test/broken.test.js']);
    expect(report?.loadErrors[0]?.message).toMatch(/nowhere/);
  });

  it('reads node tests run through an npm script, for chosen files', async () => {
    const { report } = await run(
      {
        'package.json': JSON.stringify({ name: 'x', type: 'module', scripts: { test: 'node --test test/' } }),
        'test/a.test.js': "import { test } from 'node:test';\ntest('a', () => {});\n",
        'test/b.test.js': "import { test } from 'node:test';\ntest('b', () => {});\n",
      },
      { only: ['test/b.test.js'] },
    );
    expect(outcomes(report)).toEqual({ 'test/b.test.js::b': 'passed' });
  });

  it('reads vitest: describe chains, failures, skips, todos and a file that cannot load', async () => {
    const { report } = await run(
      {
        'package.json': JSON.stringify({ name: 'x', type: 'module', devDependencies: { vitest: '*' } }),
        'src/cart.test.ts': [
          "import { describe, expect, it } from 'vitest';",
          "describe('cart', () => {",
          "  it('adds', () => { expect(1 + 1).toBe(3); });",
          "  it('ok', () => { expect(true).toBe(true); });",
          "  it.skip('later', () => {});",
          "  it.todo('someday');",
          '});',
          '',
        ].join('\n'),
        'src/broken.test.ts': "import './nowhere.js';\nimport { it } from 'vitest';\nit('x', () => {});\n",
      },
      { linkNodeModules: true },
    );
    expect(outcomes(report)).toEqual({
      'src/cart.test.ts::cart::adds': 'failed',
      'src/cart.test.ts::cart::ok': 'passed',
      'src/cart.test.ts::cart::later': 'skipped',
      'src/cart.test.ts::cart::someday': 'skipped',
    });
    expect(report?.loadErrors.map((error) => error.file)).toEqual(['src/broken.test.ts']);
  });

  it('says why there is no report for a command it cannot read', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'Makefile': 'test:\n\ttrue\n' });
    const stack = await detectStack({ root: dir, config: projectConfigSchema.parse({ testCommand: 'make test' }) });
    const run = await runTestsWithReport({ sandbox, workspaceDir: dir, config, stack });
    expect(run.result.exitCode).toBe(0);
    expect(run.report).toBeNull();
    expect(run.reportProblem).toContain('not a test runner Nightshift reads');
  });
});
