import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import { analyzePythonTestFiles } from './analyzePythonTestFiles.js';
import { analyzeScriptTestFile } from './analyzeScriptTestFile.js';
import type { TestFileAnalysis } from './TestFileAnalysis.js';

const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/**
 * Finds the tests in test files and what each one asserts and what disables it, from the source alone
 * (nothing is imported or run). Python files are parsed by Python's `ast` in the sandbox (one run for all
 * of them, none when there are none); JS/TS files by the TypeScript compiler in process. Returns one entry
 * per Python or JS/TS file, keyed by path; files in other languages are left out. A file that does not
 * parse gets `parseError` and no tests. Throws `AnalysisToolError` when Python files are given and the
 * sandbox cannot run the helper.
 */
export async function analyzeTestFiles(options: {
  /** Workspace-relative paths (unique) with the content to analyse; the content is not read from disk. */
  files: Array<{ path: string; content: string }>;
  /** Where the Python helper runs. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root (the helper's scratch files go under it). */
  workspaceDir: string;
  /** Parsed nightshift.json: bounds the helper's run. */
  config: ProjectConfig;
  signal?: AbortSignal;
}): Promise<Map<string, TestFileAnalysis>> {
  const python = options.files.filter((file) => file.path.endsWith('.py'));
  const pythonAnalyses =
    python.length === 0
      ? new Map<string, TestFileAnalysis>()
      : await analyzePythonTestFiles({
          files: python,
          sandbox: options.sandbox,
          workspaceDir: options.workspaceDir,
          config: options.config,
          ...(options.signal ? { signal: options.signal } : {}),
        });
  const analyses = new Map<string, TestFileAnalysis>();
  for (const file of options.files) {
    const analysis = file.path.endsWith('.py') ? pythonAnalyses.get(file.path) : SCRIPT_FILE.test(file.path) ? analyzeScriptTestFile(file) : undefined;
    if (analysis) analyses.set(file.path, analysis);
  }
  return analyses;
}
