import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { TestCaseResult } from '../../shared/testReportSchema.js';
import { analyzeTestFiles } from '../analysis/analyzeTestFiles.js';
import { createMutants } from '../analysis/createMutants.js';
import { stubChanges } from '../analysis/stubChanges.js';
import type { TestAnalysis } from '../analysis/TestFileAnalysis.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { FileChange } from '../ports/Vcs.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { describeTestRun } from '../testing/describeTestRun.js';
import type { TestRun } from '../testing/TestRun.js';
import { runTestsWithReport } from '../testing/runTestsWithReport.js';
import { writeChanges } from '../workspace/writeChanges.js';
import { classifyCommandFailure } from './classifyCommandFailure.js';
import { commandOutput } from './commandOutput.js';
import { describeCommandFailure } from './describeCommandFailure.js';
import { keyErrorLine } from './keyErrorLine.js';
import { firstMessageLine } from '../testing/firstMessageLine.js';

/** A failure that only says a module or name is absent: the test touched the code, it did not judge it. */
const ABSENCE = /ModuleNotFoundError|No module named|ImportError|cannot import name|Cannot find (?:module|package)|ERR_MODULE_NOT_FOUND|does not provide an export named|Failed to (?:load|resolve) (?:url|import)|is not defined\b|has no attribute|is not a function|is not a constructor/;
/** Mutants tried per change. */
const MUTANT_LIMIT = 4;
/** A mutant run may take this many times the real run (a mutant can loop forever), and at least the floor. */
const MUTANT_TIME_FACTOR = 5;
const MUTANT_TIME_FLOOR_MS = 15_000;

/**
 * Rail `bite`: the change's new (or changed) tests must judge its behaviour, not its presence.
 * 1. Each such test asserts something, and not only that a name exists (static analysis).
 * 2. With the code, they are collected and pass (from the runner's report, not its exit code).
 * 3. With the code stubbed (the same names and signatures, no behaviour: see `stubChanges`), they are run
 *    again: which fail, and whether by an assertion or only because a name or module is missing.
 * 4. A few mutants of the changed lines (flipped comparison, off-by-one, returned None...): the tests must
 *    kill at least one; the kill rate is reported. When the changed code has no mutable line, some new test
 *    must instead fail by assertion with the code stubbed. Judged as a set, so an invariant test (a field
 *    kept, an input left unsorted) that holds without the behaviour too sits beside the tests that do not.
 * The workspace is restored to the change after every run, even when one throws or is cancelled. When the
 * runner's report cannot be read (a custom test command), the tests must fail with the code reverted and
 * pass with it, judged by exit code, and the detail says so.
 */
export async function checkBite(options: {
  /** Absolute path of the workspace root, holding the changes applied. */
  workspaceDir: string;
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Whether a workspace-relative path is a test file (stack conventions or the plan's test files). */
  isTest: (path: string) => boolean;
  /** How the project runs and recognises tests. */
  stack: StackProfile;
  /** Where commands run. */
  sandbox: Sandbox;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`) and commands. */
  config: ProjectConfig;
  /** Workspace-relative paths used to tell project modules from missing dependencies. */
  localPaths: string[];
  /** Cancels the test runs; the workspace is restored, then the abort reason is thrown. */
  signal?: AbortSignal;
}): Promise<RailResult> {
  const testChanges = options.changes.filter((change) => options.isTest(change.path) && change.after !== null);
  const tests = testChanges.map((change) => change.path);
  if (tests.length === 0) {
    return { name: 'bite', passed: false, failureType: 'bite', detail: 'no test exercises this change: it adds or changes no test file. Add a test that fails without the change.' };
  }
  const code = options.changes.filter((change) => !options.isTest(change.path));
  if (options.stack.runner === null) return checkBiteByExitCode({ ...options, tests, code });
  const withSignal = options.signal ? { signal: options.signal } : {};
  const fail = (detail: string, failureType: RailResult['failureType'] = 'bite', file = tests[0]): RailResult => ({
    name: 'bite',
    passed: false,
    failureType,
    detail,
    ...(file ? { file } : {}),
  });

  const targets = await newTests({ ...options, testChanges });
  const unasserted: string[] = [];
  for (const test of targets) {
    if (test.assertions.length === 0) unasserted.push(`${test.id} (line ${test.line}) asserts nothing: it passes whatever the code does`);
    else if (test.existenceOnly) unasserted.push(`${test.id} (line ${test.line}) only checks that a name exists, not what it does`);
  }
  if (unasserted.length > 0) return fail(`${unasserted.join('\n')}\nAssert on the behaviour the task asks for (return values, state, raised errors).`, 'bite', targets.find((test) => unasserted.some((line) => line.startsWith(test.id)))?.id.split('::')[0]);
  if (targets.length === 0) {
    return fail(`the changed test files add or change no test: ${tests.join(', ')}. Add a test for the new behaviour.`);
  }

  const run = (label: string, timeoutMs?: number) =>
    runTestsWithReport({ ...options, files: tests, label, ...(timeoutMs === undefined ? {} : { timeoutMs }), ...withSignal });
  const withCode = await run('bite:with-code');
  options.signal?.throwIfAborted();
  const judged = judgeTargets(withCode, targets);
  const notPassing = judged.filter((entry) => entry.results.length === 0 || entry.results.some((result) => result.outcome !== 'passed'));
  if (withCode.report === null || withCode.report.loadErrors.length > 0 || notPassing.length > 0) {
    const lines = withCode.report === null ? [`no test report: ${withCode.reportProblem}`] : [
      ...withCode.report.loadErrors.map((error) => `${error.file} could not be loaded: ${firstMessageLine(error.message)}`),
      ...notPassing.map((entry) =>
        entry.results.length === 0
          ? `${entry.test.id} was not run: the runner did not report it (not collected, or the process ended early)`
          : `${entry.test.id} ${entry.results.find((result) => result.outcome !== 'passed')?.outcome}: ${firstMessageLine(entry.results.find((result) => result.outcome !== 'passed')?.message ?? '')}`,
      ),
    ];
    const failureType = classifyCommandFailure({ result: withCode.result, localPaths: options.localPaths });
    return fail(`${lines.join('\n')}\nthe new tests must run and pass with the code change\n${describeTestRun(withCode)}`, failureType === 'bite' ? 'patch' : failureType);
  }

  const stubs = await stubChanges({ changes: code, sandbox: options.sandbox, workspaceDir: options.workspaceDir, config: options.config, ...withSignal });
  let stubbed: TestRun;
  try {
    await writeChanges({ root: options.workspaceDir, changes: stubs, side: 'after' });
    stubbed = await run('bite:stubbed');
  } finally {
    await writeChanges({ root: options.workspaceDir, changes: stubs, side: 'before' });
  }
  options.signal?.throwIfAborted();
  const stubJudged = judgeTargets(stubbed, targets);
  const passWithoutBehaviour = stubJudged.filter((entry) => entry.results.length > 0 && entry.results.every((result) => result.outcome === 'passed' || result.outcome === 'skipped'));
  const failWithoutBehaviour = stubJudged.filter((entry) => !passWithoutBehaviour.includes(entry));
  const failByBehaviour =
    stubbed.report === null || stubbed.report.loadErrors.length > 0
      ? []
      : failWithoutBehaviour.filter((entry) => entry.results.some((result) => result.outcome !== 'passed' && result.outcome !== 'skipped' && !ABSENCE.test(result.message ?? '')));

  const mutants = await createMutants({ changes: code, limit: MUTANT_LIMIT, sandbox: options.sandbox, workspaceDir: options.workspaceDir, config: options.config, ...withSignal });
  const mutantTimeout = Math.min(options.config.commandTimeoutMs, Math.max(MUTANT_TIME_FLOOR_MS, withCode.result.durationMs * MUTANT_TIME_FACTOR));
  const survived: string[] = [];
  const killed: string[] = [];
  for (const mutant of mutants) {
    const original = code.find((change) => change.path === mutant.file);
    if (!original || original.after === null) continue;
    const swap = [{ path: mutant.file, before: original.after, after: mutant.content }];
    let mutantRun: TestRun;
    try {
      await writeChanges({ root: options.workspaceDir, changes: swap, side: 'after' });
      mutantRun = await run('bite:mutant', mutantTimeout);
    } finally {
      await writeChanges({ root: options.workspaceDir, changes: swap, side: 'before' });
    }
    options.signal?.throwIfAborted();
    const allPass = judgeTargets(mutantRun, targets).every((entry) => entry.results.length > 0 && entry.results.every((result) => result.outcome === 'passed'));
    (allPass && mutantRun.report !== null && mutantRun.report.loadErrors.length === 0 ? survived : killed).push(mutant.description);
  }
  const rate = mutants.length === 0 ? 'no mutable changed line' : `${killed.length}/${mutants.length} mutants killed`;
  const stubLine =
    failWithoutBehaviour.length === 0
      ? `every new test passes with the code stubbed out (same names, no behaviour): ${passWithoutBehaviour.map((entry) => entry.test.id).join(', ')}`
      : `${failWithoutBehaviour.length}/${targets.length} new test(s) fail with the code stubbed out${failByBehaviour.length === 0 ? ' (only because a name or module is missing)' : ''}`;
  if (mutants.length > 0 && killed.length === 0) {
    return fail(
      `the new tests pass with every mutant of the changed code, so they do not check what it computes (${rate}):\n${survived.map((line) => `  survived: ${line}`).join('\n')}\n${stubLine}\nAssert exact results, including edge cases.`,
    );
  }
  if (mutants.length === 0 && failByBehaviour.length === 0) {
    return fail(
      `${stubLine}, and the changed code has no line a mutant could check further, so nothing shows the tests judge its behaviour${code.length === 0 ? ' (the change has no code: tests alone change nothing)' : ''}.\nAssert on the results the task asks for.`,
    );
  }
  const invariants = passWithoutBehaviour.length > 0 ? `; pass without the behaviour too (invariants): ${passWithoutBehaviour.map((entry) => entry.test.id).join(', ')}` : '';
  return {
    name: 'bite',
    passed: true,
    detail: `${targets.length} new or changed test(s) pass with the code; ${stubLine}; ${rate}${survived.length > 0 ? ` (survived: ${survived.join('; ')})` : ''}${invariants}`,
  };
}

/** The tests a change adds or whose assertions it changes, from the test files' source before and after. */
async function newTests(options: {
  testChanges: FileChange[];
  sandbox: Sandbox;
  workspaceDir: string;
  config: ProjectConfig;
  signal?: AbortSignal;
}): Promise<TestAnalysis[]> {
  const analyses = await analyzeTestFiles({
    files: options.testChanges.map((change) => ({ path: change.path, content: change.after ?? '' })),
    sandbox: options.sandbox,
    workspaceDir: options.workspaceDir,
    config: options.config,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const previous = await analyzeTestFiles({
    files: options.testChanges.filter((change) => change.before !== null).map((change) => ({ path: change.path, content: change.before ?? '' })),
    sandbox: options.sandbox,
    workspaceDir: options.workspaceDir,
    config: options.config,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const targets: TestAnalysis[] = [];
  for (const change of options.testChanges) {
    const before = new Map<string, string[]>();
    for (const test of previous.get(change.path)?.tests ?? []) before.set(test.id, [...(before.get(test.id) ?? []), assertionsOf(test)]);
    for (const test of analyses.get(change.path)?.tests ?? []) {
      const earlier = before.get(test.id);
      const index = earlier?.indexOf(assertionsOf(test)) ?? -1;
      if (earlier && index !== -1) earlier.splice(index, 1);
      else if (!test.markers.some((marker) => marker.kind === 'skip' || marker.kind === 'todo')) targets.push(test);
    }
  }
  return targets;
}

function assertionsOf(test: TestAnalysis): string {
  return test.assertions.map((assertion) => assertion.text).join('\n');
}

/** Each target test with the reported results that are it (parametrised and generated titles included). */
function judgeTargets(run: TestRun, targets: TestAnalysis[]): Array<{ test: TestAnalysis; results: TestCaseResult[] }> {
  const reported = run.report?.tests ?? [];
  return targets.map((test) => ({ test, results: reported.filter((result) => sameTest(test.id, result.id)) }));
}

function sameTest(staticId: string, reportedId: string): boolean {
  if (staticId === reportedId || reportedId.startsWith(`${staticId}[`)) return true;
  if (!/%[sdifjoO#%]|\$\{|\$\w/.test(staticId)) return false;
  const pattern = staticId
    .split(/(%[sdifjoO#%]|\$\{[^}]*\}|\$\w+)/)
    .map((part, index) => (index % 2 === 1 ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(reportedId);
}

/** The exit-code judgement, for test commands whose report Nightshift cannot read. */
async function checkBiteByExitCode(options: {
  workspaceDir: string;
  tests: string[];
  code: FileChange[];
  stack: StackProfile;
  sandbox: Sandbox;
  config: ProjectConfig;
  localPaths: string[];
  signal?: AbortSignal;
}): Promise<RailResult> {
  const run = (label: string) => runTestsWithReport({ ...options, files: options.tests, label });
  let withoutCode: TestRun;
  try {
    await writeChanges({ root: options.workspaceDir, changes: options.code, side: 'before' });
    withoutCode = await run('bite:without-code');
  } finally {
    await writeChanges({ root: options.workspaceDir, changes: options.code, side: 'after' });
  }
  options.signal?.throwIfAborted();
  const note = `only exit codes are known: ${withoutCode.reportProblem}`;
  if (withoutCode.result.outcome === 'exited' && withoutCode.result.exitCode === 0) {
    return { name: 'bite', passed: false, failureType: 'bite', file: options.tests[0] as string, detail: `the tests pass without the code change, so they do not exercise it: ${options.tests.join(', ')} (${note})\n${describeTestRun(withoutCode)}` };
  }
  const withCode = await run('bite:with-code');
  if (withCode.result.outcome === 'exited' && withCode.result.exitCode === 0) {
    const why = withoutCode.result.outcome === 'timeout' ? 'time out' : `fail (${keyErrorLine(commandOutput(withoutCode.result)) || `exit ${withoutCode.result.exitCode}`})`;
    return { name: 'bite', passed: true, detail: `the tests ${why} without the code change and pass with it (${note})` };
  }
  return {
    name: 'bite',
    passed: false,
    failureType: classifyCommandFailure({ result: withCode.result, localPaths: options.localPaths }),
    detail: describeCommandFailure({ summary: 'the new tests fail with the code change', command: withCode.command, result: withCode.result }),
  };
}
