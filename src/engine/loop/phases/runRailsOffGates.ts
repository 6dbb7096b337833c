import type { GateReport } from '../../../shared/gateReportSchema.js';
import type { RailResult } from '../../../shared/railResultSchema.js';
import type { TestReport } from '../../../shared/testReportSchema.js';
import { checkPathSafety } from '../../gates/checkPathSafety.js';
import { checkSuite } from '../../gates/checkSuite.js';
import { failureFingerprint } from '../../gates/failureFingerprint.js';
import { normalizeRelativePath } from '../../gates/normalizeRelativePath.js';
import type { FileChange } from '../../ports/Vcs.js';
import type { TaskContext } from './TaskContext.js';

/**
 * The gate of a rails-off session (the benchmark's baseline): path safety, because writing outside the
 * workspace is never allowed, then the whole suite, which must pass and run the task's test files. Nothing
 * else is checked, so what this lets through shows what the other rails prevent.
 */
export async function runRailsOffGates(options: {
  ctx: TaskContext;
  /** The applied change: every touched file with its content before and after. */
  changes: FileChange[];
  /** The plan's test files: each must report tests of its own in the suite. */
  testFiles: string[];
  /** The suite's report at the task's starting commit, or null when none could be read. */
  baseline: TestReport | null;
  /** Receives the suite's report when it passed. */
  onPassingSuite: (report: TestReport) => void;
}): Promise<GateReport> {
  const { ctx, changes } = options;
  const now = ctx.clock.now;
  const timed = async (check: () => RailResult | Promise<RailResult>): Promise<RailResult> => {
    const started = now();
    const rail = await check();
    return { ...rail, durationMs: Math.max(0, Math.round(now() - started)) };
  };
  const rails: RailResult[] = [await timed(() => checkPathSafety({ workspaceDir: ctx.workspaceDir, changes }))];
  if (rails[0]!.passed) {
    const isTest = (path: string) => ctx.stack.isTestFile(path) || options.testFiles.map(normalizeRelativePath).includes(path);
    rails.push(
      await timed(() =>
        checkSuite({
          workspaceDir: ctx.workspaceDir,
          stack: ctx.stack,
          sandbox: ctx.sandbox,
          config: ctx.config,
          localPaths: changes.map((change) => change.path),
          baseline: options.baseline,
          changedTestFiles: changes.map((change) => normalizeRelativePath(change.path)).filter((path, index) => changes[index]!.after !== null && isTest(path)),
          onPassingReport: options.onPassingSuite,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        }),
      ),
    );
  } else {
    rails.push({ name: 'suite', passed: false, skipped: true, detail: 'not run: a path is unsafe (see path-safety), so no command runs on this change', durationMs: 0 });
  }
  const failed = rails.find((rail) => !rail.passed);
  return {
    verdict: failed ? 'NO_GO' : 'GO',
    rails,
    fingerprint: failed ? failureFingerprint({ failureType: failed.failureType ?? 'patch', file: failed.file ?? null, stderr: failed.detail }) : null,
  };
}
