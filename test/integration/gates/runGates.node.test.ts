import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileEdit } from '../../../src/shared/fileEditSchema.js';
import { gateReportSchema, type GateReport } from '../../../src/shared/gateReportSchema.js';
import { projectConfigSchema, type ProjectConfig } from '../../../src/shared/projectConfigSchema.js';
import type { RailName } from '../../../src/shared/railResultSchema.js';
import type { FileChange } from '../../../src/engine/ports/Vcs.js';
import { judgeRedRun } from '../../../src/engine/gates/judgeRedRun.js';
import { runGates } from '../../../src/engine/gates/runGates.js';
import { createLocalSandbox } from '../../../src/sandbox/createLocalSandbox.js';
import { detectStack } from '../../../src/engine/stack/detectStack.js';
import { applyEdits } from '../../../src/engine/workspace/applyEdits.js';
import { createNodeProject } from '../../utils/createNodeProject.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const sandbox = createLocalSandbox();
afterAll(() => sandbox.dispose());

const DIVIDE = "export function divide(a, b) {\n  if (b === 0) throw new RangeError('cannot divide by zero');\n  return a / b;\n}\n";
const DIVIDE_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { divide } from '../src/calc.js';\n\ntest('divides', () => {\n  assert.equal(divide(6, 3), 2);\n});\n\ntest('refuses zero', () => {\n  assert.throws(() => divide(1, 0), RangeError);\n});\n";
const addDivide = (body = DIVIDE): FileEdit => ({ kind: 'replace', path: 'src/calc.js', search: '  return a + b;\n}\n', replace: `  return a + b;\n}\n\n${body}` });
const divideTest = (content = DIVIDE_TEST): FileEdit => ({ kind: 'write', path: 'test/divide.test.js', content });
const SCOPE = { plannedFiles: ['src/calc.js'], testFiles: ['test/divide.test.js'] };

async function gate(options: {
  edits?: FileEdit[];
  changes?: FileChange[];
  applied?: boolean;
  config?: Partial<ProjectConfig>;
  scope?: { plannedFiles: string[]; testFiles: string[] };
}) {
  const dir = createNodeProject({ dir: makeTempDir() });
  const config = projectConfigSchema.parse({ commandTimeoutMs: 60_000, ...options.config });
  const stack = await detectStack({ root: dir, config });
  expect(stack.name).toBe('node-test');
  const changes = options.changes ?? (await applyEdits({ root: dir, edits: options.edits ?? [] }));
  const report = await runGates({ workspaceDir: dir, changes, scope: options.scope ?? SCOPE, stack, config, sandbox, applied: options.applied ?? true });
  expect(gateReportSchema.parse(report)).toEqual(report);
  return {
    report,
    dir,
    rail: (name: RailName) => report.rails.find((rail) => rail.name === name) as GateReport['rails'][number],
    failed: () => report.rails.filter((rail) => !rail.passed).map((rail) => rail.name),
  };
}

describe('runGates on a node --test project', () => {
  it('says GO for a correct change with a biting test', async () => {
    const run = await gate({ edits: [addDivide(), divideTest()] });
    expect(run.failed()).toEqual([]);
    expect(run.report).toMatchObject({ verdict: 'GO', fingerprint: null });
    expect(run.rail('bite').detail).toMatch(/^2 new or changed test\(s\) pass with the code; 2\/2 new test\(s\) fail with the code stubbed out; [1-9]\d*\/\d+ mutants killed/);
    expect(run.rail('syntax').detail).toBe('2 file(s) parse');
  });

  it('fails bite when the new test passes without the code change', async () => {
    const passing = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/calc.js';\n\ntest('adds zero', () => {\n  assert.equal(add(0, 0), 0);\n});\n";
    const run = await gate({ edits: [addDivide(), divideTest(passing)] });
    expect(run.failed()).toEqual(['bite']);
    expect(run.rail('bite').failureType).toBe('bite');
    expect(readFileSync(join(run.dir, 'src/calc.js'), 'utf8')).toContain('export function divide');
  });

  it('fails bite for a new test that asserts nothing', async () => {
    const silent = "import { test } from 'node:test';\nimport { divide } from '../src/calc.js';\n\ntest('divides', () => {\n  divide(6, 3);\n});\n";
    const run = await gate({ edits: [addDivide(), divideTest(silent)] });
    expect(run.failed()).toEqual(['bite']);
    expect(run.rail('bite')).toMatchObject({ failureType: 'bite', file: 'test/divide.test.js' });
    expect(run.rail('bite').detail).toContain('test/divide.test.js::divides (line 4) asserts nothing');
  });

  it('fails suite and bite for a new module that exits the process with status 0 when imported', async () => {
    const run = await gate({
      edits: [
        { kind: 'write', path: 'src/divider.js', content: 'process.exit(0);\n\nexport function divide(a, b) {\n  return a / b;\n}\n' },
        divideTest(DIVIDE_TEST.replace("'../src/calc.js'", "'../src/divider.js'")),
      ],
      scope: { plannedFiles: ['src/divider.js'], testFiles: SCOPE.testFiles },
    });
    expect(run.rail('bite')).toMatchObject({ passed: false, file: 'test/divide.test.js' });
    expect(run.rail('bite').detail).toContain('test/divide.test.js::divides was not run');
    expect(run.rail('bite').detail).toContain('test/divide.test.js::refuses zero was not run');
    // node's runner counts the file itself as a passing test; the suite must not take that for the file's tests.
    expect(run.rail('suite')).toMatchObject({ passed: false, failureType: 'patch' });
    expect(run.rail('suite').detail).toContain('test/divide.test.js');
    expect(run.failed()).toEqual(['bite', 'suite']);
  });

  it('fails stubs for a "not implemented" placeholder', async () => {
    const run = await gate({ edits: [addDivide("export function divide(a, b) {\n  throw new Error('Not implemented');\n}\n"), divideTest()] });
    expect(run.failed()).toEqual(['stubs', 'bite', 'suite']);
    expect(run.rail('stubs').detail).toContain('src/calc.js:6: throw "not implemented"');
    expect(run.rail('suite')).toMatchObject({ failureType: 'patch' });
  });

  it('fails syntax for code that does not parse', async () => {
    const run = await gate({ edits: [addDivide('export function divide(a, b) {\n  return a / b;\n'), divideTest()] });
    expect(run.rail('syntax')).toMatchObject({ passed: false, failureType: 'patch', file: 'src/calc.js' });
    expect(run.rail('syntax').detail).toMatch(/^src\/calc\.js:\d+: '}' expected\./);
  });

  it('fails test-integrity when a test gains .only', async () => {
    const run = await gate({
      edits: [addDivide(), divideTest(DIVIDE_TEST.replace("test('divides'", "test.only('divides'"))],
    });
    expect(run.failed()).toEqual(['test-integrity']);
    expect(run.rail('test-integrity').detail).toContain('test/divide.test.js:5: test test/divide.test.js::divides: is a new test marked only');
  });

  it('fails test-integrity when an existing test case is removed', async () => {
    const run = await gate({
      edits: [addDivide(), divideTest(), { kind: 'replace', path: 'test/calc.test.js', search: "test('adds', () => {\n  assert.equal(add(1, 2), 3);\n});\n", replace: '' }],
    });
    // The plan names only the new test file, so touching the existing one is out of scope as well; and the
    // emptied file now runs no test, which the suite refuses.
    expect(run.failed()).toEqual(['scope', 'test-integrity', 'suite']);
    expect(run.rail('suite').detail).toContain('test/calc.test.js ran no test');
    expect(run.rail('test-integrity').detail).toContain('test/calc.test.js:5: test test/calc.test.js::adds: is removed');
  });

  it('fails protected-paths for package-lock.json and scope for an unplanned file', async () => {
    const run = await gate({
      edits: [
        addDivide(),
        divideTest(),
        { kind: 'write', path: 'package-lock.json', content: '{}\n' },
        { kind: 'replace', path: 'src/format.js', search: 'toFixed(2)', replace: 'toFixed(3)' },
      ],
    });
    expect(run.failed()).toEqual(['protected-paths', 'scope']);
    expect(run.rail('scope').file).toBe('src/format.js');
  });

  it('fails diff-size for a change over maxDiffLines', async () => {
    const run = await gate({ edits: [addDivide(), divideTest()], config: { maxDiffLines: 5 } });
    expect(run.failed()).toEqual(['diff-size']);
  });

  it('fails path-safety for an escaping path and skips every command rail', async () => {
    const run = await gate({ applied: false, changes: [{ path: 'src/../../outside.js', before: null, after: 'x' }] });
    expect(run.failed()).toEqual(['path-safety', 'lint', 'typecheck', 'bite', 'suite']);
    expect(run.report.rails.filter((rail) => rail.skipped).map((rail) => rail.name)).toEqual(['lint', 'typecheck', 'bite', 'suite']);
  });
});

describe('judgeRedRun on real node --test runs', () => {
  async function red(testContent: string) {
    const dir = createNodeProject({ dir: makeTempDir() });
    const stack = await detectStack({ root: dir, config: projectConfigSchema.parse({}) });
    await applyEdits({ root: dir, edits: [divideTest(testContent)] });
    const result = await sandbox.run({ command: stack.testFileCommand(['test/divide.test.js']), workspaceDir: dir, timeoutMs: 60_000, outputLimitBytes: 1_000_000 });
    return judgeRedRun({ stack, result, testFile: 'test/divide.test.js' });
  }

  it('accepts a missing export and a failing assertion', async () => {
    expect(await red(DIVIDE_TEST)).toMatchObject({ ok: true });
    const failing = DIVIDE_TEST.replace("import { divide } from '../src/calc.js';", "import { add as divide } from '../src/calc.js';");
    const verdict = await red(failing);
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.reason).toContain('not ok - divides: Expected values to be strictly equal');
  });

  it('rejects a test file that does not parse', async () => {
    expect(await red("import { test } from 'node:test';\ntest('x', () => {\n")).toMatchObject({ ok: false, failureType: 'patch' });
  });
});
