import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { BaselineSummary } from '../../shared/protocol.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { SandboxFactory } from '../../shared/sandbox/SandboxFactory.js';
import { commandOutput } from '../gates/commandOutput.js';
import { prepareWorkspace, type PreparedWorkspace } from '../loop/prepareWorkspace.js';
import type { Vcs } from '../ports/Vcs.js';
import { countOutcomes } from '../testing/countOutcomes.js';
import { runTestsWithReport } from '../testing/runTestsWithReport.js';

/** Output kept in a baseline summary: its tail, where runners print their summary. */
const OUTPUT_TAIL_BYTES = 64 * 1024;
/** Failing test ids kept in a summary. */
const FAILING_KEPT = 50;

/**
 * Runs the whole suite at HEAD the way a session's baseline does: in a throwaway workspace written from the
 * commit (never the user's working tree) and in the sandbox the factory gives, judged by the runner's report
 * (or, without one, by the exit code). Whatever goes wrong after HEAD is known (an invalid nightshift.json, no
 * test command, no sandbox, a timeout) comes back as a failed summary with its hint; the workspace and the
 * sandbox are removed in every case. Throws only when the repository has no commit (`EmptyRepoError`) or is
 * not one.
 */
export async function runBaselineCheck(options: {
  vcs: Vcs;
  /** Folder for private workspaces (from `openDataDir`). */
  workspacesDir: string;
  /** The user's repository root. */
  repoDir: string;
  /** Makes the sandbox, as sessions of this project would get it. */
  createSandbox: SandboxFactory;
  /** Epoch milliseconds, for `ranAt`. */
  now: () => number;
  signal?: AbortSignal;
}): Promise<BaselineSummary> {
  const repo = await options.vcs.inspectRepo({ repoDir: options.repoDir });
  const ranAt = options.now();
  const name = `baseline-${randomUUID().slice(0, 8)}`;
  const unrunnable = (command: string, sandbox: string, error: NightshiftError): BaselineSummary => ({
    commit: repo.headOid,
    ok: false,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    failing: [],
    command,
    output: error.message,
    sandbox,
    ranAt,
    durationMs: options.now() - ranAt,
    hint: error.hint,
  });
  let prepared: PreparedWorkspace | null = null;
  let sandbox: Sandbox | null = null;
  try {
    try {
      prepared = await prepareWorkspace({ vcs: options.vcs, workspacesDir: options.workspacesDir, root: repo.root, name, commitOid: repo.headOid });
    } catch (error) {
      if (!(error instanceof NightshiftError)) throw error;
      return unrunnable('', 'none', error);
    }
    try {
      sandbox = await options.createSandbox({ sessionId: name, ...prepared });
    } catch (error) {
      if (!(error instanceof NightshiftError)) throw error;
      return unrunnable(prepared.stack.testCommand, 'none', error);
    }
    const where = sandbox.isolated ? sandbox.kind : `${sandbox.kind} (unsandboxed)`;
    const run = await runTestsWithReport({
      sandbox,
      workspaceDir: prepared.workspaceDir,
      config: prepared.config,
      stack: prepared.stack,
      label: 'baseline',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const { result, report } = run;
    const counts = report ? countOutcomes(report) : { passed: 0, failed: 0, errored: 0, skipped: 0 };
    const failing = report
      ? [
          ...report.tests.filter((test) => test.outcome === 'failed' || test.outcome === 'errored').map((test) => test.id),
          ...report.loadErrors.map((error) => error.file ?? 'collection'),
        ]
      : [];
    const finished = result.outcome === 'exited';
    const ok = finished && (report ? failing.length === 0 : result.exitCode === 0);
    const hint = ok
      ? null
      : result.outcome === 'timeout'
        ? `The suite did not finish within ${prepared.config.commandTimeoutMs} ms: raise "commandTimeoutMs" in nightshift.json, or set "testCommand" to a faster suite.`
        : !finished
          ? `The suite could not run in the ${where} sandbox (${result.outcome}): check the sandbox (\`nightshift sandbox doctor\`) and try again.`
          : 'Make the suite pass at HEAD (fix or skip the failing tests), or allow a failing baseline in the project settings so the suite rail refuses only new failures.';
    const printed = commandOutput(result);
    const output =
      report || !run.reportProblem ? printed : `${printed === '' ? '' : printed.replace(/\n?$/, '\n')}[nightshift: no test report: ${run.reportProblem}]`;
    return {
      commit: repo.headOid,
      ok,
      passed: counts.passed,
      failed: counts.failed,
      errored: counts.errored,
      skipped: counts.skipped,
      failing: failing.slice(0, FAILING_KEPT),
      command: run.command,
      output: tail(output, OUTPUT_TAIL_BYTES),
      sandbox: where,
      ranAt,
      durationMs: result.durationMs,
      hint,
    };
  } finally {
    await sandbox?.dispose();
    await rm(join(options.workspacesDir, name), { recursive: true, force: true });
  }
}

/** The last `limitBytes` of `text`, cut at a character boundary, marked when cut. */
function tail(text: string, limitBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limitBytes) return text;
  const marker = `[... ${bytes.length - limitBytes} bytes cut ...]\n`;
  const kept = bytes.subarray(bytes.length - limitBytes + Buffer.byteLength(marker)).toString('utf8').replace(/^\uFFFD+/, '');
  return marker + kept;
}
