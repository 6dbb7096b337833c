import ts from 'typescript';
import type { FailureType } from '../../shared/failureType.js';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { FileChange } from '../ports/Vcs.js';
import { shellQuote } from '../stack/shellQuote.js';
import { classifyCommandFailure } from './classifyCommandFailure.js';
import { commandOutput } from './commandOutput.js';
import { describeCommandFailure } from './describeCommandFailure.js';
import { runRailCommand } from './runRailCommand.js';

const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/** JSON dialects that allow comments and trailing commas. */
const JSONC_FILE = /(?:^|\/)(?:[tj]sconfig[^/]*\.json|\.vscode\/[^/]+\.json|[^/]+\.jsonc)$/;
/**
 * Compiles each file like `py_compile` does, without writing `.pyc` files into the workspace, and reports
 * every failing file as `path:line: Error: message`.
 */
const PYTHON_CHECK = [
  'import sys',
  'bad = 0',
  'for name in sys.argv[1:]:',
  '    try:',
  '        with open(name, "rb") as handle:',
  '            compile(handle.read(), name, "exec", dont_inherit=True)',
  '    except SyntaxError as error:',
  '        bad = 1',
  '        print(f"{name}:{error.lineno or 0}: {type(error).__name__}: {error.msg}")',
  '    except (ValueError, OSError) as error:',
  '        bad = 1',
  '        print(f"{name}:0: {type(error).__name__}: {error}")',
  'sys.exit(bad)',
].join('\n');

interface SyntaxProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * Rail `syntax`: every file that exists after the change must parse. Python is compiled by `python3` in the
 * sandbox (one command for all files); JS/TS use the TypeScript parser and JSON uses `JSON.parse` (or the
 * JSONC parser for tsconfig-style files), both in memory. When commands may not run, the Python part is
 * skipped and the rail is reported skipped unless an in-memory check already failed.
 */
export async function checkSyntax(options: {
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Where commands run. */
  sandbox: Sandbox;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`) and commands. */
  config: ProjectConfig;
  /** Why commands must not run on these changes; null when they may. */
  skipCommands: string | null;
  /** Workspace-relative paths used to tell project modules from missing dependencies. */
  localPaths: string[];
  /** Cancels running commands (they end as `cancelled`). */
  signal?: AbortSignal;
}): Promise<RailResult> {
  const present = options.changes.filter((change): change is FileChange & { after: string } => change.after !== null);
  const problems: SyntaxProblem[] = [];
  for (const change of present) {
    if (SCRIPT_FILE.test(change.path)) problems.push(...scriptProblems(change.path, change.after));
    else if (change.path.endsWith('.json') || change.path.endsWith('.jsonc')) problems.push(...jsonProblems(change.path, change.after));
  }

  const python = present.filter((change) => change.path.endsWith('.py')).map((change) => change.path);
  let pythonNote = '';
  let commandFailure: { detail: string; failureType: FailureType } | null = null;
  if (python.length > 0 && options.skipCommands !== null) {
    if (problems.length === 0) {
      return { name: 'syntax', passed: false, skipped: true, detail: `Python syntax not checked: ${options.skipCommands}` };
    }
    pythonNote = `\n(Python files not checked: ${options.skipCommands})`;
  } else if (python.length > 0) {
    const command = `python3 -c ${shellQuote(PYTHON_CHECK)} ${python.map(shellQuote).join(' ')}`;
    const result = await runRailCommand({ ...options, command });
    if (!(result.outcome === 'exited' && result.exitCode === 0)) {
      const reported = pythonProblems(commandOutput(result), python);
      if (reported.length > 0 && result.outcome === 'exited') {
        problems.push(...reported);
      } else {
        commandFailure = {
          failureType: classifyCommandFailure({ result, localPaths: options.localPaths }),
          detail: describeCommandFailure({ summary: 'the Python syntax check could not run', command: 'python3 -c <syntax check>', result }),
        };
      }
    }
  }

  if (problems.length === 0 && commandFailure === null) {
    const checked = present.filter((change) => SCRIPT_FILE.test(change.path) || /\.(json|jsonc|py)$/.test(change.path)).length;
    return { name: 'syntax', passed: true, detail: `${checked} file(s) parse` };
  }
  if (problems.length === 0 && commandFailure !== null) {
    return { name: 'syntax', passed: false, failureType: commandFailure.failureType, detail: commandFailure.detail };
  }
  return {
    name: 'syntax',
    passed: false,
    failureType: 'patch',
    file: problems[0]?.file,
    detail: problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`).join('\n') + pythonNote,
  };
}

function scriptProblems(path: string, content: string): SyntaxProblem[] {
  const result = ts.transpileModule(content, {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, jsx: ts.JsxEmit.Preserve, allowJs: true },
  });
  return (result.diagnostics ?? [])
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) => ({
      file: path,
      line: diagnostic.start === undefined ? 0 : lineAt(content, diagnostic.start),
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
    }));
}

function jsonProblems(path: string, content: string): SyntaxProblem[] {
  if (JSONC_FILE.test(path)) {
    const { error } = ts.parseConfigFileTextToJson(path, content);
    if (!error) return [];
    return [{ file: path, line: error.start === undefined ? 0 : lineAt(content, error.start), message: ts.flattenDiagnosticMessageText(error.messageText, ' ') }];
  }
  try {
    JSON.parse(content);
    return [];
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const line = /\(line (\d+) column \d+\)/.exec(message)?.[1];
    return [{ file: path, line: line ? Number(line) : position ? lineAt(content, Number(position)) : 0, message }];
  }
}

function pythonProblems(output: string, files: string[]): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  for (const match of output.matchAll(/^(.+?):(\d+): (.+)$/gm)) {
    const file = match[1] as string;
    if (files.includes(file)) problems.push({ file, line: Number(match[2]), message: match[3] as string });
  }
  return problems;
}

function lineAt(content: string, offset: number): number {
  return content.slice(0, offset).split('\n').length;
}
