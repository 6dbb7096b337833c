import { z } from 'zod';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import { runPythonTool } from './runPythonTool.js';

const answerSchema = z.object({
  files: z.array(
    z.object({
      path: z.string(),
      parseError: z.string().nullable(),
      hooks: z.array(z.object({ name: z.string(), line: z.number().int(), text: z.string() })),
    }),
  ),
});

/**
 * Finds what in `conftest.py` files can stop tests from being collected or run, with
 * `resources/analysis/find_collection_hooks.py` (Python's `ast`, one run in the sandbox for all files):
 * `collect_ignore`/`collect_ignore_glob`, collection and run-loop hooks (`pytest_ignore_collect`,
 * `pytest_collection_modifyitems`, `pytest_collect_file`, ...), writes to `config.option`, and calls that skip
 * or end the run (`pytest.skip`, `pytest.exit`, `sys.exit`, `os._exit`). Each comes with its `ast.unparse`
 * text, so a formatting change is not a change. Throws `AnalysisToolError` when the helper cannot run.
 */
export async function findCollectionHooks(options: {
  /** Workspace-relative paths (unique) with the content to analyse; the content is not read from disk. */
  files: Array<{ path: string; content: string }>;
  /** Where the helper runs. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root (the helper's scratch files go under it). */
  workspaceDir: string;
  /** Parsed nightshift.json: bounds the helper's run. */
  config: ProjectConfig;
  signal?: AbortSignal;
}): Promise<Map<string, { parseError: string | null; hooks: Array<{ name: string; line: number; text: string }> }>> {
  if (options.files.length === 0) return new Map();
  const answer = await runPythonTool({
    tool: 'find_collection_hooks',
    input: { files: options.files },
    schema: answerSchema,
    sandbox: options.sandbox,
    workspaceDir: options.workspaceDir,
    config: options.config,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return new Map(answer.files.map((file) => [file.path, { parseError: file.parseError, hooks: file.hooks }]));
}
