import { commentMarkerLines } from './commentMarkerLines.js';
import { placeholderMessageKind } from './placeholderMessageKind.js';
import { scanPython, type PythonLogicalLine, type PythonToken } from './scanPython.js';
import type { StubFinding } from './StubFinding.js';

/** Decorators under which an empty body is the point, not a placeholder. */
const EMPTY_BODY_DECORATORS = new Set(['abstractmethod', 'overload', 'abstractproperty', 'abstractclassmethod', 'abstractstaticmethod']);

interface Definition {
  kind: 'def' | 'class';
  name: string;
  /** Index of the header's logical line. */
  header: number;
  /** Index of the first logical line after the body. */
  bodyEnd: number;
  /** The body's top-level statements, each a token list. */
  statements: PythonToken[][];
  /** 1-based line of the `def` or `class` keyword. */
  line: number;
  /** 1-based last line of the body. */
  endLine: number;
}

/**
 * Placeholders in a Python module, read from its tokens so that names and string values (`Status.TODO`,
 * `TODO = "todo"`, `"TODO"`) are code: TODO/FIXME/XXX in comments and docstrings (a string that is the
 * first statement of the module, a class or a function), `raise NotImplementedError`, errors raised with a
 * "not implemented" or "TODO" message, and functions whose body, docstring aside, is only `pass` or `...`
 * (abstract methods, overloads and Protocol members excepted, as are their raises).
 */
export function pythonStubs(options: {
  /** The module's content after the change. */
  content: string;
  /** A `.pyi` type stub, whose bodies are `...` by design: only comments and docstrings are checked. */
  typeStub: boolean;
}): StubFinding[] {
  const { lines, comments } = scanPython({ source: options.content });
  const sourceLines = options.content.split('\n');
  const findings: StubFinding[] = [];
  const report = (line: number, endLine: number, label: string) => {
    findings.push({ line, endLine, message: `${label}: ${(sourceLines[line - 1] ?? '').trim()}` });
  };
  const reportMarkers = (text: string, firstLine: number) => {
    for (const line of commentMarkerLines({ text, firstLine })) report(line, line, 'TODO/FIXME');
  };

  for (const comment of comments) reportMarkers(comment.text, comment.line);
  const definitions = lines.flatMap((_, index) => definitionAt(lines, index) ?? []);
  const moduleFirst = lines[0] ? splitStatements(lines[0].tokens)[0] : undefined;
  for (const docstring of [moduleFirst, ...definitions.map((definition) => definition.statements[0])]) {
    if (!docstring || !isDocstring(docstring)) continue;
    for (const token of docstring) reportMarkers(stringContents(token.text), token.line);
  }
  if (options.typeStub) return findings;

  const exempt = new Set(definitions.filter((definition) => definition.kind === 'def' && isExempt(lines, definition.header)));
  for (const definition of definitions) {
    if (definition.kind !== 'def' || exempt.has(definition)) continue;
    const body = isDocstring(definition.statements[0] ?? []) ? definition.statements.slice(1) : definition.statements;
    const only = body.length === 1 && body[0]?.length === 1 ? body[0][0] : undefined;
    if (only && ((only.kind === 'name' && only.text === 'pass') || (only.kind === 'op' && only.text === '...'))) {
      findings.push({ line: definition.line, endLine: definition.endLine, message: `function ${definition.name} has an empty body (${only.text})` });
    }
  }

  lines.forEach((logical, index) => {
    const enclosing = definitions.filter((definition) => definition.kind === 'def' && definition.header <= index && index < definition.bodyEnd).at(-1);
    if (enclosing && exempt.has(enclosing)) return;
    const endLine = logical.tokens.at(-1)?.endLine ?? 0;
    logical.tokens.forEach((token, at) => {
      if (token.kind !== 'name' || token.text !== 'raise') return;
      const label = raisedPlaceholder(logical.tokens.slice(at + 1));
      if (label) report(token.line, endLine, label);
    });
  });
  return findings;
}

/** The `def` or `class` whose header is the logical line at `index`, with its body. */
function definitionAt(lines: PythonLogicalLine[], index: number): Definition | null {
  const header = lines[index] as PythonLogicalLine;
  const keywordAt = header.tokens[0]?.text === 'async' ? 1 : 0;
  const keyword = header.tokens[keywordAt];
  const name = header.tokens[keywordAt + 1];
  if (keyword?.kind !== 'name' || (keyword.text !== 'def' && keyword.text !== 'class') || name?.kind !== 'name') return null;
  const colon = header.tokens.findIndex((token, at) => at > keywordAt + 1 && token.kind === 'op' && token.text === ':' && token.depth === 0);
  if (colon === -1) return null;
  const inline = header.tokens.slice(colon + 1);
  let bodyEnd = index + 1;
  let statements: PythonToken[][];
  if (inline.length > 0) {
    statements = splitStatements(inline);
  } else {
    while (bodyEnd < lines.length && (lines[bodyEnd] as PythonLogicalLine).indent > header.indent) bodyEnd += 1;
    const bodyIndent = lines[index + 1]?.indent;
    statements = lines
      .slice(index + 1, bodyEnd)
      .filter((line) => line.indent === bodyIndent)
      .flatMap((line) => splitStatements(line.tokens));
  }
  const last = (lines[bodyEnd - 1] as PythonLogicalLine).tokens.at(-1) as PythonToken;
  return { kind: keyword.text, name: name.text, header: index, bodyEnd, statements, line: keyword.line, endLine: last.endLine };
}

/** Simple statements separated by `;` on one logical line. */
function splitStatements(tokens: PythonToken[]): PythonToken[][] {
  const statements: PythonToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'op' && token.text === ';' && token.depth === 0) statements.push([]);
    else statements.at(-1)?.push(token);
  }
  return statements.filter((statement) => statement.length > 0);
}

/** A statement made only of string literals; f-strings are never docstrings. */
function isDocstring(statement: PythonToken[]): boolean {
  return statement.length > 0 && statement.every((token) => token.kind === 'string' && !/^[a-z]*[ft]/i.test(token.text));
}

/** A string literal's text without its prefix and quotes. */
function stringContents(literal: string): string {
  const quote = /^[A-Za-z]*('''|"""|'|")/.exec(literal)?.[1] ?? '';
  const body = literal.replace(/^[A-Za-z]*/, '').slice(quote.length);
  return body.endsWith(quote) ? body.slice(0, body.length - quote.length) : body;
}

/** Abstract methods, overloads and members of Protocol classes are meant to have no body. */
function isExempt(lines: PythonLogicalLine[], header: number): boolean {
  const indent = (lines[header] as PythonLogicalLine).indent;
  for (let index = header - 1; index >= 0; index -= 1) {
    const line = lines[index] as PythonLogicalLine;
    if (line.indent !== indent || line.tokens[0]?.text !== '@') break;
    const call = line.tokens.findIndex((token) => token.text === '(');
    const names = line.tokens.slice(1, call === -1 ? undefined : call).filter((token) => token.kind === 'name');
    if (EMPTY_BODY_DECORATORS.has(names.at(-1)?.text ?? '')) return true;
  }
  for (let index = header - 1; index >= 0; index -= 1) {
    const line = lines[index] as PythonLogicalLine;
    if (line.indent >= indent) continue;
    if (line.tokens[0]?.text !== 'class') return false;
    const colon = line.tokens.findIndex((token) => token.text === ':' && token.depth === 0);
    return line.tokens.slice(0, colon).some((token) => token.kind === 'name' && token.text === 'Protocol');
  }
  return false;
}

/** The label for what follows `raise` when it is a placeholder: `NotImplementedError`, or a "TODO" message. */
function raisedPlaceholder(after: PythonToken[]): string | null {
  const first = after[0];
  if (first?.kind === 'name' && (first.text === 'NotImplementedError' || first.text === 'NotImplemented')) return 'raise NotImplementedError';
  const open = after.findIndex((token) => token.text === '(');
  if (open === -1 || after.slice(0, open).some((token) => token.kind !== 'name' && token.text !== '.')) return null;
  const message: string[] = [];
  for (const token of after.slice(open + 1)) {
    if (token.kind !== 'string') break;
    message.push(stringContents(token.text));
  }
  const kind = message.length > 0 ? placeholderMessageKind({ message: message.join('') }) : null;
  return kind ? `raise "${kind}"` : null;
}
