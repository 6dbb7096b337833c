import ts from 'typescript';
import { MUTANT_KINDS } from './MUTANT_KINDS.js';
import type { MutationCandidate } from './MutationCandidate.js';

type Kind = MutationCandidate['kind'];

const COMPARE_FLIPS = new Map<ts.SyntaxKind, string>([
  [ts.SyntaxKind.LessThanToken, '<='],
  [ts.SyntaxKind.LessThanEqualsToken, '<'],
  [ts.SyntaxKind.GreaterThanToken, '>='],
  [ts.SyntaxKind.GreaterThanEqualsToken, '>'],
  [ts.SyntaxKind.EqualsEqualsToken, '!='],
  [ts.SyntaxKind.ExclamationEqualsToken, '=='],
  [ts.SyntaxKind.EqualsEqualsEqualsToken, '!=='],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, '==='],
]);
const LOGIC_SWAPS = new Map<ts.SyntaxKind, string>([
  [ts.SyntaxKind.AmpersandAmpersandToken, '||'],
  [ts.SyntaxKind.BarBarToken, '&&'],
]);
const ARITH_SWAPS = new Map<ts.SyntaxKind, string>([
  [ts.SyntaxKind.PlusToken, '-'],
  [ts.SyntaxKind.MinusToken, '+'],
  [ts.SyntaxKind.PlusEqualsToken, '-='],
  [ts.SyntaxKind.MinusEqualsToken, '+='],
]);

interface Found {
  kind: Kind;
  start: number;
  end: number;
  text: string;
  /** What the replacement means, without parentheses that only keep the line count. */
  shown: string;
}

/**
 * Mutations of a JS/TS file's changed lines, found with the TypeScript parser and applied by splicing
 * text: at most `limit` per kind, in source order, each checked to parse. A returned expression becomes
 * `undefined` (`undefined as any` in TypeScript); a multi-line one keeps its line count inside parentheses.
 */
export function findScriptMutations(options: {
  /** Path relative to the repository root; its extension picks TS, TSX, JS or JSX. */
  path: string;
  /** The file after the change. */
  content: string;
  /** 1-based line numbers the change added or modified; only operators on them are mutated. */
  lines: number[];
  /** Most mutations of one kind. */
  limit: number;
}): MutationCandidate[] {
  const source = ts.createSourceFile(options.path, options.content, ts.ScriptTarget.Latest, true);
  const returned = /\.[cm]?jsx?$/i.test(options.path) ? 'undefined' : 'undefined as any';
  const changed = new Set(options.lines);
  const found: Found[] = [];
  const visit = (node: ts.Node): void => {
    found.push(...mutationsOf(node, source, returned));
    ts.forEachChild(node, visit);
  };
  visit(source);
  const lineOf = (offset: number) => source.getLineAndCharacterOfPosition(offset).line + 1;
  const ordered = found
    .filter((mutation) => changed.has(lineOf(mutation.start)))
    .sort((a, b) => a.start - b.start || MUTANT_KINDS.indexOf(a.kind) - MUTANT_KINDS.indexOf(b.kind));
  const taken = new Map<Kind, number>();
  const candidates: MutationCandidate[] = [];
  for (const mutation of ordered) {
    if ((taken.get(mutation.kind) ?? 0) >= options.limit) continue;
    const mutated = options.content.slice(0, mutation.start) + mutation.text + options.content.slice(mutation.end);
    if (!parses(options.path, mutated)) continue;
    taken.set(mutation.kind, (taken.get(mutation.kind) ?? 0) + 1);
    const startLine = lineOf(mutation.start);
    const endLine = lineOf(mutation.end);
    candidates.push({
      kind: mutation.kind,
      line: startLine,
      startLine,
      endLine,
      text: mutated.split('\n').slice(startLine - 1, endLine).join('\n'),
      original: options.content.slice(mutation.start, mutation.end),
      replacement: mutation.shown,
    });
  }
  return candidates;
}

function mutationsOf(node: ts.Node, source: ts.SourceFile, returned: string): Found[] {
  const at = (target: ts.Node, kind: Kind, text: string, shown = text): Found => ({ kind, start: target.getStart(source), end: target.end, text, shown });
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken;
    const compare = COMPARE_FLIPS.get(operator.kind);
    if (compare) return [at(operator, 'flip-compare', compare)];
    const logic = LOGIC_SWAPS.get(operator.kind);
    if (logic) return [at(operator, 'swap-logic', logic)];
    const arith = ARITH_SWAPS.get(operator.kind);
    if (arith) return [at(operator, 'swap-arith', arith)];
    return [];
  }
  if (ts.isNumericLiteral(node) && inExpression(node)) {
    const value = Number(node.text);
    return Number.isSafeInteger(value) ? [at(node, 'off-by-one', String(value + 1))] : [];
  }
  if ((node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) && inExpression(node)) {
    return [at(node, 'flip-boolean', node.kind === ts.SyntaxKind.TrueKeyword ? 'false' : 'true')];
  }
  const value = ts.isReturnStatement(node) ? node.expression : ts.isArrowFunction(node) && !ts.isBlock(node.body) ? node.body : undefined;
  if (value && !isNothing(value)) {
    const breaks = value.getText(source).split('\n').length - 1;
    // Parentheses keep a multi-line value's line count (and stop a line break from ending the return).
    const text = breaks > 0 || ts.isArrowFunction(node) ? `(${returned}${'\n'.repeat(breaks)})` : returned;
    return [at(value, 'return-none', text, returned)];
  }
  return [];
}

/** A literal used as a value, not as a literal type or a property name. */
function inExpression(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isLiteralTypeNode(parent)) return false;
  return !((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isEnumMember(parent)) && parent.name === node);
}

function isNothing(value: ts.Expression): boolean {
  let inner = value;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner)) inner = inner.expression;
  return (ts.isIdentifier(inner) && inner.text === 'undefined') || ts.isVoidExpression(inner);
}

function parses(path: string, content: string): boolean {
  const result = ts.transpileModule(content, {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, jsx: ts.JsxEmit.Preserve, allowJs: true },
  });
  return !(result.diagnostics ?? []).some((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
}
