import type { GateReport } from '../../shared/gateReportSchema.js';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { FileChange } from '../ports/Vcs.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { checkBite } from './checkBite.js';
import { checkCommandRail } from './checkCommandRail.js';
import { checkDiffSize } from './checkDiffSize.js';
import { checkPathSafety } from './checkPathSafety.js';
import { checkProtectedPaths } from './checkProtectedPaths.js';
import { checkScope } from './checkScope.js';
import { checkStubs } from './checkStubs.js';
import { checkSuite } from './checkSuite.js';
import { checkSyntax } from './checkSyntax.js';
import { checkTestIntegrity } from './checkTestIntegrity.js';
import { failureFingerprint } from './failureFingerprint.js';
import { normalizeRelativePath } from './normalizeRelativePath.js';

/** Rails whose failures come from command output, where the file is found by looking for changed paths. */
const COMMAND_RAILS = new Set(['syntax', 'lint', 'typecheck', 'bite', 'suite']);

/**
 * Runs every deterministic rail on a proposed change and reports them all, so every problem is known at
 * once. The change must already be on disk in `workspaceDir` (unless `applied` is false). When the change
 * could not be written or a path is unsafe, the command rails (Python syntax, lint, typecheck, bite, suite)
 * are reported skipped and never run. The verdict is GO only when every rail passed; the fingerprint
 * identifies the first failing rail. Honors `signal` between rails and inside commands (throws its reason).
 */
export async function runGates(options: {
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** The proposed change: every touched file with its content before and after. */
  changes: FileChange[];
  /** What the plan allows: files the code may change and the test files. */
  scope: { plannedFiles: string[]; testFiles: string[] };
  /** How the project runs and recognises tests. */
  stack: StackProfile;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`) and commands. */
  config: ProjectConfig;
  /** Where commands run. */
  sandbox: Sandbox;
  /** False when the changes could not be written to the workspace; command rails are then skipped. */
  applied: boolean;
  /** The task as the coder saw it; an expected value it names may change. */
  taskText?: string;
  /** The suite's report at the commit the change starts from (see `runBaseline`); null when unknown. */
  baseline?: TestReport | null;
  /** Receives the suite's report when the suite passes: the baseline for a commit of this change. */
  onPassingSuite?: (report: TestReport) => void;
  /** Measures each rail's duration. Default: `Date.now`. */
  now?: () => number;
  /** Cancels the run: commands are killed, the workspace restored, and the abort reason thrown. */
  signal?: AbortSignal;
}): Promise<GateReport> {
  const { workspaceDir, changes, scope, stack, config, sandbox, signal } = options;
  signal?.throwIfAborted();
  const planTests = new Set(scope.testFiles.map(normalizeRelativePath));
  const isTest = (path: string) => stack.isTestFile(normalizeRelativePath(path)) || planTests.has(normalizeRelativePath(path));
  const localPaths = [...new Set([...changes.map((change) => change.path), ...scope.plannedFiles, ...scope.testFiles])];
  const withSignal = signal ? { signal } : {};

  const now = options.now ?? Date.now;
  const rails: RailResult[] = [];
  const timed = async (check: () => RailResult | Promise<RailResult>): Promise<RailResult> => {
    const started = now();
    const rail = await check();
    signal?.throwIfAborted();
    const result = { ...rail, durationMs: Math.max(0, Math.round(now() - started)) };
    rails.push(result);
    return result;
  };
  const pathSafety = await timed(() => checkPathSafety({ workspaceDir, changes }));
  const skipCommands = !options.applied
    ? 'the changes could not be written to the workspace'
    : pathSafety.passed
      ? null
      : 'a path is unsafe (see path-safety), so no command runs on this change';
  const skipped = (name: 'bite' | 'suite'): RailResult => ({ name, passed: false, skipped: true, detail: `not run: ${skipCommands}`, durationMs: 0 });

  await timed(() => checkProtectedPaths({ changes, protectedPaths: config.protectedPaths }));
  await timed(() => checkScope({ changes, plannedFiles: scope.plannedFiles, testFiles: scope.testFiles }));
  await timed(() => checkSyntax({ workspaceDir, changes, sandbox, config, skipCommands, localPaths, ...withSignal }));
  for (const name of ['lint', 'typecheck'] as const) {
    const command = name === 'lint' ? config.lintCommand : config.typecheckCommand;
    await timed(() => checkCommandRail({ name, command, workspaceDir, sandbox, config, skipCommands, localPaths, ...withSignal }));
  }
  await timed(() => checkTestIntegrity({ changes, isTest, taskText: options.taskText ?? '', sandbox, workspaceDir, config, ...withSignal }));
  await timed(() => checkDiffSize({ changes, maxDiffLines: config.maxDiffLines }));
  await timed(() => checkStubs({ changes, isTest }));
  if (skipCommands === null) {
    await timed(() => checkBite({ workspaceDir, changes, isTest, stack, sandbox, config, localPaths, ...withSignal }));
    await timed(() =>
      checkSuite({
        workspaceDir,
        stack,
        sandbox,
        config,
        localPaths,
        baseline: options.baseline ?? null,
        changedTestFiles: changes.filter((change) => change.after !== null && isTest(change.path)).map((change) => normalizeRelativePath(change.path)),
        ...(options.onPassingSuite ? { onPassingReport: options.onPassingSuite } : {}),
        ...withSignal,
      }),
    );
  } else {
    rails.push(skipped('bite'), skipped('suite'));
  }

  const located = rails.map((rail) => locateFile(rail, changes));
  const firstFailure = located.find((rail) => !rail.passed);
  return {
    verdict: firstFailure ? 'NO_GO' : 'GO',
    rails: located,
    fingerprint: firstFailure
      ? failureFingerprint({ failureType: firstFailure.failureType ?? 'patch', file: firstFailure.file ?? null, stderr: firstFailure.detail })
      : null,
  };
}

/** A failed command rail is about the first changed file its output mentions, when there is one. */
function locateFile(rail: RailResult, changes: FileChange[]): RailResult {
  if (rail.passed || rail.skipped || rail.file !== undefined || !COMMAND_RAILS.has(rail.name)) return rail;
  const mentioned = changes
    .map((change) => ({ path: change.path, at: rail.detail.search(new RegExp(`(?<![\\w.-])${escapeRegExp(change.path)}(?!\\w)`)) }))
    .filter((candidate) => candidate.at !== -1)
    .sort((a, b) => a.at - b.at)[0];
  return mentioned ? { ...rail, file: mentioned.path } : rail;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
