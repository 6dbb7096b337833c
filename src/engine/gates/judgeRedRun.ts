import type { FailureType } from '../../shared/failureType.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import type { SandboxResult } from '../../shared/sandbox/Sandbox.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { isEnvironmentMessage } from '../testing/isEnvironmentMessage.js';
import { classifyCommandFailure } from './classifyCommandFailure.js';
import { commandOutput } from './commandOutput.js';
import { keyErrorLine } from './keyErrorLine.js';
import { onlyDependenciesMissing } from './onlyDependenciesMissing.js';

/** The code under test is missing: a module, an export, or a function/attribute/name. */
const MISSING_CODE = [
  /ModuleNotFoundError/,
  /No module named '/,
  /ImportError: cannot import name/,
  /AttributeError: .*has no attribute/,
  /NameError: name '[^']+' is not defined/,
  /Cannot find module/,
  /ERR_MODULE_NOT_FOUND/,
  /is not a function/,
  /is not a constructor/,
  /is not defined/,
  /does not provide an export named/,
  /Failed to load url/,
  /Failed to resolve import/,
];
/** A test ran and failed, or an assertion fired. */
const TEST_FAILED = [
  /\b\d+ failed\b/,
  /^# fail [1-9]/m,
  /ℹ fail [1-9]/,
  /Tests\s+.*\b\d+ failed/,
  /AssertionError/,
  /^E\s+assert\b/m,
];
const NO_TESTS = [/no tests ran/, /collected 0 items/, /^# tests 0$/m, /ℹ tests 0\b/, /No test files found/, /No test suite found/];
/** The runner cannot load the test file at all (e.g. `.ts` under plain `node --test` on Node 20). */
const CANNOT_LOAD = /ERR_UNKNOWN_FILE_EXTENSION|Unknown file extension/;
const SYNTAX = /\b(SyntaxError|IndentationError|TabError)\b|Transform failed|Parse failure/;

/**
 * Decides whether a RED run (the new test, before any code exists) fails for the right reason: an assertion
 * or a test that ran and failed, or the module/function under test missing. Not ok when the test passes
 * (`bite`), when the test file itself does not parse or no test was collected (`patch`), when the machine is
 * at fault (`environment`: the runner is missing or crashed, a name does not resolve, a module that is none
 * of the project's own is missing) or on timeout (`timeout`). With the runner's report, each test's own
 * outcome and message decide; without one, the output is read.
 */
export function judgeRedRun(options: {
  /** The project's stack; `custom` stacks accept any failing run. */
  stack: StackProfile;
  /** The result of running the test file. */
  result: SandboxResult;
  /** Workspace-relative path of the test file. */
  testFile: string;
  /** The runner's report of the run, when it could be read. */
  report?: TestReport | null;
  /** Workspace-relative paths of the project's files the task is about (planned and test files). */
  localPaths?: string[];
  /** The suite's report before the task: tests it names already existed, so they may pass. */
  baseline?: TestReport | null;
}): { ok: boolean; reason: string; failureType?: FailureType } {
  const { result, testFile } = options;

  if (result.outcome === 'timeout') return { ok: false, failureType: 'timeout', reason: `the test run timed out after ${result.durationMs} ms` };
  if (result.outcome === 'cancelled') return { ok: false, failureType: 'environment', reason: 'the test run was cancelled' };
  const output = commandOutput(result);
  const key = keyErrorLine(output);
  if (result.outcome === 'spawn-error') return { ok: false, failureType: 'environment', reason: `the test command could not start: ${key}` };
  if (result.exitCode === 0) return { ok: false, failureType: 'bite', reason: 'the test passes before any code exists' };
  if (result.exitCode === 126 || result.exitCode === 127 || /command not found|No module named '?(pytest|vitest)\b/.test(output)) {
    return { ok: false, failureType: 'environment', reason: `the test runner is not available: ${key}` };
  }
  if (options.report) {
    const existing = new Set((options.baseline?.tests ?? []).map((test) => test.id));
    const report = { ...options.report, tests: options.report.tests.filter((test) => !existing.has(test.id)) };
    return judgeReport({ report, result, testFile, localPaths: options.localPaths ?? null });
  }
  if (isEnvironmentMessage(output)) return { ok: false, failureType: 'environment', reason: `the sandbox, not the test, failed: ${key}` };
  if (options.localPaths && classifyCommandFailure({ result, localPaths: options.localPaths }) === 'environment') {
    return { ok: false, failureType: 'environment', reason: `a dependency the sandbox lacks: ${key}` };
  }
  if (CANNOT_LOAD.test(output)) {
    return { ok: false, failureType: 'environment', reason: `the test runner cannot load ${testFile}: ${key}` };
  }
  const syntaxFile = syntaxErrorFile(output);
  if (syntaxFile !== null && !/does not provide an export named/.test(output)) {
    const inTest = syntaxFile === '' || pathIs(syntaxFile, testFile);
    return {
      ok: false,
      failureType: 'patch',
      reason: inTest ? `the test file itself does not parse: ${key}` : `a file the test imports does not parse (${syntaxFile}): ${key}`,
    };
  }
  if (MISSING_CODE.some((pattern) => pattern.test(output))) {
    return { ok: true, reason: `the test fails because the code under test does not exist yet: ${key}` };
  }
  if (NO_TESTS.some((pattern) => pattern.test(output)) || (options.stack.name === 'python-pytest' && result.exitCode === 5)) {
    return { ok: false, failureType: 'patch', reason: `no test was collected from ${testFile}; name tests test_* (pytest) or use test()/it()` };
  }
  if (options.stack.name === 'python-pytest' && result.exitCode === 4) {
    return { ok: false, failureType: 'patch', reason: `pytest could not use ${testFile}: ${key}` };
  }
  if (TEST_FAILED.some((pattern) => pattern.test(output))) return { ok: true, reason: `the test fails: ${key}` };
  if (options.stack.name === 'custom') return { ok: true, reason: `the test command fails (exit ${result.exitCode}): ${key}` };
  return { ok: false, failureType: 'patch', reason: `the test errors before any test runs: ${key}` };
}

/**
 * The file a syntax error is reported in ('' when the output names none), or null without a syntax error.
 * Python names it in the `File "...", line N` before the error; Node in the `file:///...:N` line.
 */
function syntaxErrorFile(output: string): string | null {
  const lines = output.split('\n');
  const at = lines.findIndex((line) => SYNTAX.test(line));
  if (at === -1) return null;
  for (let index = at; index >= Math.max(0, at - 8); index -= 1) {
    const line = lines[index] as string;
    const python = /File "([^"]+)", line \d+/.exec(line)?.[1];
    if (python !== undefined) return python;
    const node = /(?:file:\/\/)?(\/[^\s:]+\.[cm]?[jt]sx?):\d+/.exec(line)?.[1];
    if (node !== undefined) return node;
  }
  return '';
}

function pathIs(reported: string, testFile: string): boolean {
  const normalized = testFile.replace(/^\.\//, '');
  return reported === normalized || reported.endsWith(`/${normalized}`);
}

/** RED from the runner's report: every test of the file must fail, by assertion or by the code being absent. */
function judgeReport(options: { report: TestReport; result: SandboxResult; testFile: string; localPaths: string[] | null }): { ok: boolean; reason: string; failureType?: FailureType } {
  const { report, testFile } = options;
  const mine = report.tests.filter((test) => pathIs(test.file, testFile) || test.file === '');
  const loadError = report.loadErrors.find((error) => error.file === null || pathIs(error.file, testFile)) ?? report.loadErrors[0];
  const problems = [...(loadError ? [loadError.message] : []), ...mine.filter((test) => test.outcome !== 'passed' && test.outcome !== 'skipped').map((test) => test.message ?? '')];
  const key = keyErrorLine(problems.join('\n')) || keyErrorLine(commandOutput(options.result));
  if (problems.some(isEnvironmentMessage)) return { ok: false, failureType: 'environment', reason: `the sandbox, not the test, failed: ${key}` };
  const { localPaths } = options;
  const missingElsewhere = localPaths
    ? problems.find((message) => onlyDependenciesMissing({ output: message, localPaths }))
    : undefined;
  if (missingElsewhere !== undefined) return { ok: false, failureType: 'environment', reason: `a dependency the sandbox lacks: ${keyErrorLine(missingElsewhere)}` };
  if (loadError) {
    if (SYNTAX.test(loadError.message) && !/does not provide an export named/.test(loadError.message)) {
      const syntaxFile = syntaxErrorFile(loadError.message);
      const inTest = syntaxFile === null || syntaxFile === '' || pathIs(syntaxFile, testFile);
      return { ok: false, failureType: 'patch', reason: inTest ? `the test file itself does not parse: ${key}` : `a file the test imports does not parse (${syntaxFile}): ${key}` };
    }
    if (MISSING_CODE.some((pattern) => pattern.test(loadError.message))) return { ok: true, reason: `the test fails because the code under test does not exist yet: ${key}` };
    if (CANNOT_LOAD.test(loadError.message)) return { ok: false, failureType: 'environment', reason: `the test runner cannot load ${testFile}: ${key}` };
    return { ok: false, failureType: 'patch', reason: `the test file cannot be loaded: ${key}` };
  }
  const executed = mine.filter((test) => test.outcome !== 'skipped');
  if (executed.length === 0) return { ok: false, failureType: 'patch', reason: `no test was collected from ${testFile}; name tests test_* (pytest) or use test()/it()` };
  const passing = executed.filter((test) => test.outcome === 'passed');
  if (passing.length > 0) {
    return { ok: false, failureType: 'bite', reason: `the test passes before any code exists: ${passing.map((test) => test.id).join(', ')}` };
  }
  if (executed.every((test) => MISSING_CODE.some((pattern) => pattern.test(test.message ?? '')))) {
    return { ok: true, reason: `the test fails because the code under test does not exist yet: ${key}` };
  }
  return { ok: true, reason: `the test fails: ${key}` };
}
