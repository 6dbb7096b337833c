import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import { findPackageRoot } from '../../node/findPackageRoot.js';
import { WORKSPACE_SCRATCH_DIR } from '../../shared/WORKSPACE_SCRATCH_DIR.js';
import { AnalysisToolError } from './AnalysisToolError.js';

/**
 * Runs one of Nightshift's Python helpers (`resources/analysis/<tool>.py`, built on Python's own `ast`) in the
 * project's sandbox, where the project's Python is, with a JSON input file and a JSON answer on stdout. The
 * helper only parses source (never imports or runs it). Its files are removed afterwards.
 * Throws `AnalysisToolError` when it cannot run or its answer does not match `schema`.
 */
export async function runPythonTool<T>(options: {
  /** Helper name without `.py`, e.g. `analyze_tests`. */
  tool: string;
  /** JSON-serialisable input, handed to the helper as a file. */
  input: unknown;
  /** Shape of the helper's answer. */
  schema: z.ZodType<T>;
  /** Where the helper runs. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Parsed nightshift.json: `commandTimeoutMs` bounds the run; the answer may use up to 16x `outputLimitBytes`. */
  config: ProjectConfig;
  signal?: AbortSignal;
}): Promise<T> {
  const id = randomUUID().slice(0, 12);
  const relativeDir = `${WORKSPACE_SCRATCH_DIR}/tool-${id}`;
  const dir = join(options.workspaceDir, relativeDir);
  await mkdir(dir, { recursive: true });
  try {
    await copyFile(join(analysisDir(), `${options.tool}.py`), join(dir, 'tool.py'));
    await writeFile(join(dir, 'input.json'), JSON.stringify(options.input));
    const result = await options.sandbox.run({
      // -I: no user site-packages or PYTHON* variables; -B: no bytecode beside the helper.
      command: `python3 -I -B ${relativeDir}/tool.py ${relativeDir}/input.json`,
      workspaceDir: options.workspaceDir,
      label: `analysis:${options.tool}`,
      timeoutMs: options.config.commandTimeoutMs,
      outputLimitBytes: options.config.outputLimitBytes * 16,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    options.signal?.throwIfAborted();
    const output = `${result.stdout}\n${result.stderr}`.trim().slice(-2000);
    if (result.outcome !== 'exited' || result.exitCode !== 0) {
      throw new AnalysisToolError({ tool: options.tool, problem: `it ended ${result.outcome}${result.exitCode === null ? '' : ` with exit ${result.exitCode}`}`, output });
    }
    if (result.truncated) throw new AnalysisToolError({ tool: options.tool, problem: 'its answer was cut at the output limit', output });
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.stdout);
    } catch {
      throw new AnalysisToolError({ tool: options.tool, problem: 'its answer is not JSON', output });
    }
    const checked = options.schema.safeParse(parsed);
    if (!checked.success) throw new AnalysisToolError({ tool: options.tool, problem: `its answer has the wrong shape: ${checked.error.message}`, output });
    return checked.data;
  } finally {
    await rm(dir, { recursive: true, force: true });
    // Left in place while another user of the folder still has files there.
    await rmdir(join(options.workspaceDir, WORKSPACE_SCRATCH_DIR)).catch(() => undefined);
  }
}

function analysisDir(): string {
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  if (!root) throw new AnalysisToolError({ tool: 'resources/analysis', problem: 'no package.json was found above the Nightshift code' });
  return join(root, 'resources', 'analysis');
}
