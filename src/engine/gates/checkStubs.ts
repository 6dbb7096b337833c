import type { RailResult } from '../../shared/railResultSchema.js';
import type { FileChange } from '../ports/Vcs.js';
import { lineChanges } from './lineChanges.js';

/** Prose files, where "TODO" is content rather than unfinished code. */
const PROSE_FILE = /\.(?:md|markdown|rst|txt|adoc)$/i;
/** Added-line markers of unfinished code. */
const LINE_MARKERS: ReadonlyArray<{ label: string; pattern: RegExp }> = [
  { label: 'raise NotImplementedError', pattern: /\braise\s+NotImplementedError\b/ },
  { label: 'TODO/FIXME', pattern: /\b(?:TODO|FIXME)\b/ },
  { label: 'throw "not implemented"', pattern: /\bthrow\s+(?:new\s+)?(?:\w*Error\s*\(\s*)?(['"`])\s*not\s+(?:yet\s+)?implemented/i },
  { label: 'unimplemented', pattern: /\bunimplemented\b/i },
];
/** Decorators under which an empty body is the point, not a placeholder. */
const EMPTY_BODY_DECORATORS = /@(?:\w+\.)*(?:abstractmethod|overload|abstractproperty)\b/;

/**
 * Rail `stubs`: added lines of non-test files must not leave placeholders: Python functions whose body is
 * only `pass` or `...` (abstract methods, overloads and Protocol members excepted), `raise
 * NotImplementedError`, TODO/FIXME, `throw new Error("not implemented")`, `unimplemented`.
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
    for (const entry of added) {
      const marker = LINE_MARKERS.find((candidate) => candidate.pattern.test(entry.text));
      if (marker) findings.push({ file: change.path, line: entry.line, message: `${marker.label}: ${entry.text.trim()}` });
    }
    if (change.path.endsWith('.py')) {
      for (const stub of emptyPythonFunctions(change.after)) {
        if (stub.lines.some((line) => addedLines.has(line))) {
          findings.push({ file: change.path, line: stub.lines[0] as number, message: `function ${stub.name} has an empty body (${stub.body})` });
        }
      }
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

interface PythonFunction {
  name: string;
  /** 1-based line numbers from the `def` to the end of the body. */
  lines: number[];
  body: string;
}

/** Python functions whose body, docstring aside, is a lone `pass` or `...`. */
function emptyPythonFunctions(content: string): PythonFunction[] {
  const lines = content.split('\n');
  const found: PythonFunction[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^(\s*)(?:async\s+)?def\s+(\w+)\s*\(/.exec(lines[index] as string);
    if (!match) continue;
    const indent = (match[1] as string).length;
    const header = headerEnd(lines, index);
    if (header === null) continue;
    const statements: string[] = [];
    let last = header.line;
    if (header.rest !== '') {
      statements.push(header.rest);
    } else {
      for (let next = header.line + 1; next < lines.length; next += 1) {
        const text = lines[next] as string;
        if (text.trim() === '' || text.trim().startsWith('#')) continue;
        if (indentOf(text) <= indent) break;
        statements.push(text.trim());
        last = next;
      }
    }
    const body = withoutDocstring(statements);
    if (body.length !== 1 || !/^(?:pass|\.\.\.)(?:\s*#.*)?$/.test(body[0] as string)) continue;
    if (isExempt(lines, index, indent)) continue;
    found.push({
      name: match[2] as string,
      lines: Array.from({ length: last - index + 1 }, (_, offset) => index + offset + 1),
      body: (body[0] as string).replace(/\s*#.*$/, ''),
    });
  }
  return found;
}

/** Where a `def` header's closing colon is, allowing signatures over several lines, and any same-line body. */
function headerEnd(lines: string[], start: number): { line: number; rest: string } | null {
  let depth = 0;
  for (let index = start; index < lines.length && index < start + 50; index += 1) {
    const text = (lines[index] as string).replace(/#.*$/, '');
    for (let at = 0; at < text.length; at += 1) {
      const char = text[at];
      if (char === '(' || char === '[' || char === '{') depth += 1;
      else if (char === ')' || char === ']' || char === '}') depth -= 1;
      else if (char === ':' && depth === 0) return { line: index, rest: text.slice(at + 1).trim() };
    }
  }
  return null;
}

function withoutDocstring(statements: string[]): string[] {
  const first = statements[0];
  if (first === undefined) return statements;
  const quote = /^[rRbBuU]?("""|''')/.exec(first)?.[1];
  if (quote === undefined) return /^[rRbBuU]?(["']).*\1$/.test(first) ? statements.slice(1) : statements;
  const afterOpen = first.slice(first.indexOf(quote) + 3);
  if (afterOpen.includes(quote)) return statements.slice(1);
  const close = statements.findIndex((statement, index) => index > 0 && statement.includes(quote));
  return close === -1 ? [] : statements.slice(close + 1);
}

/** Abstract methods, overloads and members of Protocol classes are meant to have no body. */
function isExempt(lines: string[], defLine: number, indent: number): boolean {
  for (let index = defLine - 1; index >= 0; index -= 1) {
    const text = lines[index] as string;
    if (text.trim() === '') continue;
    if (!text.trim().startsWith('@')) break;
    if (EMPTY_BODY_DECORATORS.test(text)) return true;
  }
  if (indent === 0) return false;
  for (let index = defLine - 1; index >= 0; index -= 1) {
    const text = lines[index] as string;
    if (text.trim() === '' || indentOf(text) >= indent) continue;
    return /^\s*class\s+\w+\s*\(.*\bProtocol\b/.test(text);
  }
  return false;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}
