import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { TestReport } from '../../shared/testReportSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { StackProfile, TestRunner } from '../../shared/StackProfile.js';
import { findPackageRoot } from '../../node/findPackageRoot.js';
import { WORKSPACE_SCRATCH_DIR } from '../../shared/WORKSPACE_SCRATCH_DIR.js';
import { parseJunitReport } from './parseJunitReport.js';
import { parseNodeTestReport } from './parseNodeTestReport.js';
import { parseVitestReport } from './parseVitestReport.js';
import type { TestRun } from './TestRun.js';
import { NO_BYTECODE_ENVIRONMENT } from './NO_BYTECODE_ENVIRONMENT.js';

const REPORT_EXTENSION: Record<TestRunner, string> = { pytest: 'xml', vitest: 'json', 'node-test': 'jsonl' };

/**
 * Runs the project's tests (all, or chosen files) with the runner's machine-readable report switched on,
 * and reads it: pytest's JUnit XML through `PYTEST_ADDOPTS`, Nightshift's JSON-lines reporter for node's test
 * runner through `NODE_OPTIONS` (both reach the runner whatever script starts it), vitest's JSON reporter as
 * arguments. The runner's own console
 * output is kept for people. Bytecode writing is off so a reverted Python module cannot linger as a stale
 * cache. The report file lives in the workspace's scratch folder and is removed after reading.
 */
export async function runTestsWithReport(options: {
  /** Where commands run. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`). */
  config: ProjectConfig;
  /** How the project runs tests and which runner it uses. */
  stack: StackProfile;
  /** Workspace-relative test files to run; absent runs the whole suite. */
  files?: string[];
  /** What the run is for, recorded with its duration, e.g. `suite` or `bite:stubbed`. */
  label?: string;
  /** Wall-clock limit in milliseconds. Default `config.commandTimeoutMs`. */
  timeoutMs?: number;
  /** Cancels the run (it ends as `cancelled`). */
  signal?: AbortSignal;
}): Promise<TestRun> {
  const { stack } = options;
  const baseCommand = options.files ? stack.testFileCommand(options.files) : stack.testCommand;
  const runner = stack.runner;
  const env: Record<string, string> = { ...NO_BYTECODE_ENVIRONMENT };
  const reportPath = runner ? `${WORKSPACE_SCRATCH_DIR}/reports/${randomUUID()}.${REPORT_EXTENSION[runner]}` : null;
  let command = baseCommand;
  if (runner === 'pytest') env.PYTEST_ADDOPTS = `--junitxml=${reportPath} -o junit_family=xunit1`;
  const reporterPath = `${WORKSPACE_SCRATCH_DIR}/reports/${randomUUID()}.mjs`;
  if (runner === 'node-test') {
    env.NODE_OPTIONS = `--test-reporter=./${reporterPath} --test-reporter-destination=${reportPath} --test-reporter=spec --test-reporter-destination=stdout`;
  }
  if (runner === 'vitest') {
    const separator = /^npm\s+(?:run\s+)?test\b/.test(command) && !/\s--(?:\s|$)/.test(command) ? ' --' : '';
    command = `${command}${separator} --reporter=default --reporter=json --outputFile.json=${reportPath}`;
  }
  if (reportPath) await mkdir(join(options.workspaceDir, WORKSPACE_SCRATCH_DIR, 'reports'), { recursive: true });
  if (runner === 'node-test') await copyFile(nodeReporterFile(), join(options.workspaceDir, reporterPath));
  try {
    const result = await options.sandbox.run({
      command,
      workspaceDir: options.workspaceDir,
      env,
      timeoutMs: options.timeoutMs ?? options.config.commandTimeoutMs,
      outputLimitBytes: options.config.outputLimitBytes,
      ...(options.label ? { label: options.label } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!runner || !reportPath) {
      return { command: baseCommand, result, report: null, reportProblem: `${stack.testCommand} is not a test runner Nightshift reads (pytest, vitest, node --test)` };
    }
    const read = await readReport({ runner, path: join(options.workspaceDir, reportPath), workspaceDir: options.workspaceDir });
    return { command: baseCommand, result, ...read };
  } finally {
    if (reportPath) {
      await rm(join(options.workspaceDir, reportPath), { force: true });
      await rm(join(options.workspaceDir, reporterPath), { force: true });
      await rmdir(join(options.workspaceDir, WORKSPACE_SCRATCH_DIR, 'reports')).catch(() => undefined);
      await rmdir(join(options.workspaceDir, WORKSPACE_SCRATCH_DIR)).catch(() => undefined);
    }
  }
}

async function readReport(options: { runner: TestRunner; path: string; workspaceDir: string }): Promise<{ report: TestReport | null; reportProblem: string | null }> {
  let text: string;
  try {
    text = await readFile(options.path, 'utf8');
  } catch {
    return { report: null, reportProblem: `the ${options.runner} run wrote no report: it ended before reporting any test` };
  }
  if (text.trim() === '') return { report: null, reportProblem: `the ${options.runner} run wrote an empty report: it ended before reporting any test` };
  try {
    const { workspaceDir } = options;
    const report =
      options.runner === 'pytest'
        ? parseJunitReport({ xml: text, workspaceDir })
        : options.runner === 'vitest'
          ? parseVitestReport({ json: text, workspaceDir })
          : parseNodeTestReport({ text, workspaceDir });
    return { report, reportProblem: null };
  } catch (error) {
    return { report: null, reportProblem: `the ${options.runner} report could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function nodeReporterFile(): string {
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  if (!root) throw new Error('No package.json was found above the Nightshift code, so resources/testing cannot be located.');
  return join(root, 'resources', 'testing', 'nodeTestReporter.mjs');
}
