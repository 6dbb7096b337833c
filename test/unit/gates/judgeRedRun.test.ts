import { describe, expect, it } from 'vitest';
import type { SandboxResult } from '../../../src/shared/sandbox/Sandbox.js';
import type { StackProfile } from '../../../src/shared/StackProfile.js';
import { judgeRedRun } from '../../../src/engine/gates/judgeRedRun.js';

function stack(name: StackProfile['name']): StackProfile {
  return { name, testCommand: 't', testFileCommand: () => 't', isTestFile: () => true, sourceLanguage: 'unknown', runner: null };
}

function exited(exitCode: number, stdout: string, stderr = ''): SandboxResult {
  return { outcome: 'exited', exitCode, signal: null, stdout, stderr, truncated: false, durationMs: 100 };
}

const pytest = stack('python-pytest');
const nodeTest = stack('node-test');
const vitest = stack('node-vitest');
const testFile = 'tests/test_calc.py';

describe('judgeRedRun', () => {
  it('accepts a failing assertion', () => {
    const verdict = judgeRedRun({
      stack: pytest,
      testFile,
      result: exited(1, 'F\n>       assert add(1, 2) == 4\nE       assert 3 == 4\n\ntests/test_calc.py:4: AssertionError\n1 failed in 0.01s\n'),
    });
    expect(verdict).toEqual({ ok: true, reason: 'the test fails: E assert 3 == 4' });
  });

  it.each([
    ['ModuleNotFoundError', "E   ModuleNotFoundError: No module named 'calc'\nERROR tests/test_calc.py\n1 error in 0.6s"],
    ['ImportError', "E   ImportError: cannot import name 'divide' from 'calc' (/tmp/w/calc.py)\n1 error in 0.5s"],
    ['AttributeError', "E       AttributeError: module 'calc' has no attribute 'divide'\n1 failed in 0.5s"],
    ['NameError', "E       NameError: name 'divide' is not defined\n1 failed"],
  ])('accepts a missing module or function (%s)', (_, output) => {
    const verdict = judgeRedRun({ stack: pytest, testFile, result: exited(output.includes('error in') ? 2 : 1, output) });
    expect(verdict.ok).toBe(true);
    expect(verdict.reason).toContain('the code under test does not exist yet');
  });

  it.each([
    ["# Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/tmp/w/src/calc.js' imported from /tmp/w/test/calc.test.js\nnot ok 1 - /tmp/w/test/calc.test.js\n# fail 1"],
    ["# SyntaxError: The requested module '../src/calc.js' does not provide an export named 'divide'\n# file:///tmp/w/test/calc.test.js:3\nnot ok 1\n# fail 1"],
    ["not ok 1 - mul\n  ---\n  error: 'calc.mul is not a function'\n  name: 'TypeError'\n# fail 1"],
  ])('accepts missing JS code: %s', (output) => {
    expect(judgeRedRun({ stack: nodeTest, testFile: 'test/calc.test.js', result: exited(1, output) }).ok).toBe(true);
  });

  it.each([['Error: Failed to load url ../src/calc (resolved id: ../src/calc) in /w/src/calc.test.ts'], ['Error: Failed to resolve import "./calc" from "src/calc.test.ts". Does the file exist?']])(
    'accepts vitest missing-module errors: %s',
    (output) => {
      expect(judgeRedRun({ stack: vitest, testFile: 'src/calc.test.ts', result: exited(1, ` FAIL  src/calc.test.ts\n${output}\n Test Files  1 failed (1)`) }).ok).toBe(true);
    },
  );

  it('accepts a JS assertion failure and reports its message', () => {
    const output = "not ok 1 - adds\n  ---\n  error: |-\n    Expected values to be strictly equal:\n    \n    3 !== 4\n    \n  code: 'ERR_ASSERTION'\n  name: 'AssertionError'\n  ...\n# fail 1\n";
    expect(judgeRedRun({ stack: nodeTest, testFile: 'test/calc.test.js', result: exited(1, output) })).toEqual({
      ok: true,
      reason: 'the test fails: not ok - adds: Expected values to be strictly equal: 3 !== 4',
    });
  });

  it('rejects a test file the runner cannot load at all (environment), even though the run reports a failure', () => {
    const output =
      'TAP version 13\n# TypeError [ERR_UNKNOWN_FILE_EXTENSION]: Unknown file extension ".ts" for /w/test/slug.test.ts\nnot ok 1 - /w/test/slug.test.ts\n# tests 1\n# fail 1\n';
    const verdict = judgeRedRun({ stack: nodeTest, testFile: 'test/slug.test.ts', result: exited(1, output) });
    expect(verdict.ok).toBe(false);
    expect(verdict.failureType).toBe('environment');
    expect(verdict.reason).toContain('cannot load test/slug.test.ts');
  });

  it('rejects a test that passes before the code exists (bite)', () => {
    expect(judgeRedRun({ stack: pytest, testFile, result: exited(0, '.\n1 passed in 0.01s\n') })).toEqual({
      ok: false,
      failureType: 'bite',
      reason: 'the test passes before any code exists',
    });
  });

  it('rejects a syntax error in the test file itself (patch)', () => {
    const output = 'E     File "/tmp/ws-1/tests/test_calc.py", line 1\nE       def test_x(:\nE                  ^\nE   SyntaxError: invalid syntax\n1 error in 0.5s\n';
    const verdict = judgeRedRun({ stack: pytest, testFile, result: exited(2, output) });
    expect(verdict).toMatchObject({ ok: false, failureType: 'patch' });
    expect(verdict.reason).toContain('the test file itself does not parse');
    const indentation = judgeRedRun({ stack: pytest, testFile, result: exited(2, 'E     File "/w/tests/test_calc.py", line 3\nE   IndentationError: unexpected indent\n') });
    expect(indentation.reason).toContain('the test file itself does not parse');
    const node = judgeRedRun({
      stack: nodeTest,
      testFile: 'test/calc.test.js',
      result: exited(1, '# file:///tmp/w/test/calc.test.js:3\n# SyntaxError: Unexpected end of input\nnot ok 1\n# fail 1\n'),
    });
    expect(node).toMatchObject({ ok: false, failureType: 'patch' });
  });

  it('rejects a run where no test was collected (patch)', () => {
    expect(judgeRedRun({ stack: pytest, testFile, result: exited(5, '\nno tests ran in 0.47s\n') })).toMatchObject({ ok: false, failureType: 'patch' });
    expect(judgeRedRun({ stack: vitest, testFile: 'a.test.ts', result: exited(1, 'No test files found, exiting with code 1\n') })).toMatchObject({ ok: false, failureType: 'patch' });
  });

  it('rejects a timeout, a missing runner, and a crash unrelated to the code under test', () => {
    const timeout: SandboxResult = { outcome: 'timeout', exitCode: null, signal: 'SIGKILL', stdout: '', stderr: '', truncated: false, durationMs: 5000 };
    expect(judgeRedRun({ stack: pytest, testFile, result: timeout })).toMatchObject({ ok: false, failureType: 'timeout' });
    expect(judgeRedRun({ stack: pytest, testFile, result: exited(1, '', '/usr/bin/python3: No module named pytest\n') })).toMatchObject({ ok: false, failureType: 'environment' });
    expect(judgeRedRun({ stack: nodeTest, testFile, result: exited(127, '', 'sh: 1: node: not found\n') })).toMatchObject({ ok: false, failureType: 'environment' });
    expect(judgeRedRun({ stack: pytest, testFile, result: exited(3, 'INTERNALERROR> KeyError\n') })).toMatchObject({ ok: false, failureType: 'environment' });
  });
});
