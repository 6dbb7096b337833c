import { z } from 'zod';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import { runPythonTool } from './runPythonTool.js';
import type { TestFileAnalysis } from './TestFileAnalysis.js';

const markerSchema = z.object({ kind: z.enum(['skip', 'only', 'xfail', 'todo']), line: z.number().int() });
const assertionSchema = z.object({
  line: z.number().int(),
  kind: z.enum(['exact', 'truthiness', 'raises', 'other']),
  text: z.string(),
  expected: z.string().nullable(),
});
const answerSchema: z.ZodType<{ files: TestFileAnalysis[] }> = z.object({
  files: z.array(
    z.object({
      path: z.string(),
      parseError: z.string().nullable(),
      tests: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          line: z.number().int(),
          assertions: z.array(assertionSchema),
          markers: z.array(markerSchema),
          existenceOnly: z.boolean(),
        }),
      ),
    }),
  ),
});

/**
 * Analyses Python test files with `resources/analysis/analyze_tests.py` (Python's `ast`, one run in the
 * sandbox for all files). Throws `AnalysisToolError` when the helper cannot run.
 */
export async function analyzePythonTestFiles(options: {
  /** Workspace-relative paths with the content to analyse (not read from disk). */
  files: Array<{ path: string; content: string }>;
  /** Where the helper runs. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root (the helper's scratch files go under it). */
  workspaceDir: string;
  /** Parsed nightshift.json: bounds the helper's run. */
  config: ProjectConfig;
  signal?: AbortSignal;
}): Promise<Map<string, TestFileAnalysis>> {
  const answer = await runPythonTool({
    tool: 'analyze_tests',
    input: { files: options.files },
    schema: answerSchema,
    sandbox: options.sandbox,
    workspaceDir: options.workspaceDir,
    config: options.config,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return new Map(answer.files.map((file) => [file.path, file]));
}
