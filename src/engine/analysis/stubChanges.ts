import { z } from 'zod';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { FileChange } from '../ports/Vcs.js';
import { runPythonTool } from './runPythonTool.js';
import { stubScript } from './stubScript.js';

const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const answerSchema = z.object({ files: z.array(z.object({ path: z.string(), content: z.string() })) });

/**
 * The change's code "with the names but without the behaviour", for running its new tests against: per
 * input change, a change from its `after` to the stubbed content. A new Python/JS/TS file keeps its
 * imports, constants, classes and signatures while every function body returns nothing (`None`, or the
 * type's zero for dunders like `__str__` and `__len__` that Python checks; `undefined` in JS/TS). An
 * existing file goes back to its `before` content plus stubs of the top-level names, imports and class (and
 * TS enum) members the change adds, so importing them still works. A deleted file comes back as it was; any
 * other file goes back to `before`. New Python fields of a class are kept with their values (a dataclass
 * still accepts them); a class written on one line (`class A: x = 1`) gets no new members.
 * Python is transformed with `ast` in the sandbox (throws `AnalysisToolError` when a new or changed
 * Python file does not parse); JS/TS in process.
 */
export async function stubChanges(options: {
  /** The change's non-test code files, each with its content before and after the change. */
  changes: FileChange[];
  /** Where the Python helper runs. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Parsed nightshift.json: limits for the Python helper. */
  config: ProjectConfig;
  signal?: AbortSignal;
}): Promise<FileChange[]> {
  const python = options.changes.filter((change): change is FileChange & { after: string } => change.after !== null && change.path.endsWith('.py'));
  const stubbed = new Map<string, string>();
  if (python.length > 0) {
    const answer = await runPythonTool({
      tool: 'transform_python',
      input: { operation: 'stub', files: python.map(({ path, before, after }) => ({ path, before, after })) },
      schema: answerSchema,
      sandbox: options.sandbox,
      workspaceDir: options.workspaceDir,
      config: options.config,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for (const file of answer.files) stubbed.set(file.path, file.content);
  }
  return options.changes.map((change) => {
    if (change.after === null) return { path: change.path, before: null, after: change.before };
    const python = stubbed.get(change.path);
    if (python !== undefined) return { path: change.path, before: change.after, after: python };
    if (SCRIPT_FILE.test(change.path)) return { path: change.path, before: change.after, after: stubScript({ path: change.path, before: change.before, after: change.after }) };
    return { path: change.path, before: change.after, after: change.before };
  });
}
