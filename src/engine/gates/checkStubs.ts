import type { RailResult } from '../../shared/railResultSchema.js';
import type { FileChange } from '../ports/Vcs.js';
import { commentSyntaxStubs } from './commentSyntaxStubs.js';
import { lineChanges } from './lineChanges.js';
import { pythonStubs } from './pythonStubs.js';
import { scriptStubs } from './scriptStubs.js';
import type { StubFinding } from './StubFinding.js';

/** Prose files, where "TODO" is content rather than unfinished code. */
const PROSE_FILE = /\.(?:md|markdown|rst|txt|adoc)$/i;
const PYTHON_FILE = /\.pyi?$/i;
const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

/**
 * Rail `stubs`: added lines of non-test files must not leave placeholders. Each language is tokenized
 * (Python by its own tokenizer, JS/TS by the TypeScript parser, C, Java, Go, Rust, Ruby and shell by their
 * comment and string syntax; other files are not read), so that only comments, docstrings and placeholder
 * bodies count and identifiers or string values named TODO (`Status.TODO`, `{ TODO: 'todo' }`) are code.
 * See pythonStubs, scriptStubs and commentSyntaxStubs for what each language's placeholders are.
 */
export function checkStubs(options: {
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Whether a workspace-relative path is a test file; test files are not checked. */
  isTest: (path: string) => boolean;
}): RailResult {
  const findings: Array<{ file: string; line: number; message: string }> = [];
  for (const change of options.changes) {
    if (change.after === null || options.isTest(change.path) || PROSE_FILE.test(change.path)) continue;
    const { added } = lineChanges(change);
    if (added.length === 0) continue;
    const addedLines = new Set(added.map((entry) => entry.line));
    for (const stub of stubsIn(change.path, change.after)) {
      let touched = false;
      for (let line = stub.line; line <= stub.endLine && !touched; line += 1) touched = addedLines.has(line);
      if (touched) findings.push({ file: change.path, line: stub.line, message: stub.message });
    }
  }
  if (findings.length === 0) return { name: 'stubs', passed: true, detail: 'no placeholder code is added' };
  findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return {
    name: 'stubs',
    passed: false,
    failureType: 'patch',
    file: findings[0]?.file,
    detail: `${findings.map((finding) => `${finding.file}:${finding.line}: ${finding.message}`).join('\n')}\nImplement the behaviour instead of leaving a placeholder.`,
  };
}

function stubsIn(path: string, content: string): StubFinding[] {
  if (PYTHON_FILE.test(path)) return pythonStubs({ content, typeStub: path.toLowerCase().endsWith('.pyi') });
  if (SCRIPT_FILE.test(path)) return scriptStubs({ path, content });
  return commentSyntaxStubs({ path, content });
}
