import { describe, expect, it } from 'vitest';
import type { SandboxResult } from '../../../src/shared/sandbox/Sandbox.js';
import { classifyCommandFailure } from '../../../src/engine/gates/classifyCommandFailure.js';
import { cutOutput } from '../../../src/engine/gates/cutOutput.js';
import { keyErrorLine } from '../../../src/engine/gates/keyErrorLine.js';

function exited(exitCode: number, stdout: string, stderr = ''): SandboxResult {
  return { outcome: 'exited', exitCode, signal: null, stdout, stderr, truncated: false, durationMs: 10 };
}

describe('cutOutput', () => {
  it('keeps short output and cuts long output to the budget, keeping both ends', () => {
    expect(cutOutput({ text: 'short' })).toBe('short');
    const long = `START${'x'.repeat(20_000)}END`;
    const cut = cutOutput({ text: long });
    expect(Buffer.byteLength(cut)).toBeLessThan(8 * 1024 + 100);
    expect(cut.startsWith('START')).toBe(true);
    expect(cut.endsWith('END')).toBe(true);
    expect(cut).toContain('bytes cut');
  });
});

describe('keyErrorLine', () => {
  it('prefers pytest E lines, then TAP failures, then error lines, then the last line', () => {
    expect(keyErrorLine('F\nE       assert 3 == 4\ntests/t.py:4: AssertionError')).toBe('E assert 3 == 4');
    expect(keyErrorLine("not ok 1 - adds\n  ---\n  error: 'boom'\n  ...\n")).toBe('not ok - adds: boom');
    expect(keyErrorLine('some log\nTypeError: x is undefined\n    at foo (a.js:1)\nend')).toBe('TypeError: x is undefined');
    expect(keyErrorLine('one\ntwo\n')).toBe('two');
  });
});

describe('classifyCommandFailure', () => {
  const localPaths = ['src/calc.py', 'tests/test_calc.py', 'src/app.js'];
  it('classifies timeouts, missing tools and missing third-party modules as not the patch', () => {
    expect(classifyCommandFailure({ localPaths, result: { ...exited(0, ''), outcome: 'timeout', exitCode: null } })).toBe('timeout');
    expect(classifyCommandFailure({ localPaths, result: exited(127, '', 'sh: 1: ruff: not found') })).toBe('environment');
    expect(classifyCommandFailure({ localPaths, result: exited(2, "E   ModuleNotFoundError: No module named 'numpy'") })).toBe('environment');
    expect(classifyCommandFailure({ localPaths, result: exited(1, "Error: Cannot find module 'left-pad'") })).toBe('environment');
  });

  it('blames the patch for failing tests and for missing project modules', () => {
    expect(classifyCommandFailure({ localPaths, result: exited(1, 'E   assert 3 == 4') })).toBe('patch');
    expect(classifyCommandFailure({ localPaths, result: exited(2, "E   ModuleNotFoundError: No module named 'src.calc'") })).toBe('patch');
    expect(classifyCommandFailure({ localPaths, result: exited(2, "ImportError: cannot import name 'mul' from 'calc'") })).toBe('patch');
    expect(classifyCommandFailure({ localPaths, result: exited(1, "Error: Cannot find module './helpers.js'") })).toBe('patch');
  });
});
