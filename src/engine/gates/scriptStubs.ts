import ts from 'typescript';
import { commentMarkerLines } from './commentMarkerLines.js';
import { placeholderMessageKind } from './placeholderMessageKind.js';
import type { StubFinding } from './StubFinding.js';

/** Error classes whose name alone says "not written yet". */
const NOT_IMPLEMENTED_ERROR = /^(?:NotImplemented|Unimplemented)(?:Error|Exception)?$/;
/** Words in a comment inside an empty body that say the body is a placeholder. */
const PLACEHOLDER_COMMENT = /\b(?:placeholder|implement(?:ed)?\s+(?:me|later)|stub(?:bed)?|not\s+(?:yet\s+)?implemented|unimplemented|to\s+be\s+implemented)\b/i;

/**
 * Placeholders in a JavaScript or TypeScript file, read with the TypeScript parser so that identifiers,
 * enum members, object keys and string values named TODO are code: TODO/FIXME/XXX in comments and JSDoc,
 * errors thrown with a "not implemented" or "TODO" message or of a `NotImplementedError` class, and empty
 * function bodies where a value is owed (a declared return type other than void, undefined, any, unknown
 * or an assertion) or where a comment inside says the body is a placeholder ("implement me", "stub").
 */
export function scriptStubs(options: {
  /** Workspace-relative path; its extension selects TypeScript, JSX or plain JavaScript parsing. */
  path: string;
  /** The file's content after the change. */
  content: string;
}): StubFinding[] {
  const source = ts.createSourceFile(options.path, options.content, ts.ScriptTarget.Latest, true, scriptKind(options.path));
  const sourceLines = options.content.split('\n');
  const lineOf = (offset: number) => source.getLineAndCharacterOfPosition(offset).line + 1;
  const findings: StubFinding[] = [];
  const report = (line: number, endLine: number, label: string) => {
    findings.push({ line, endLine, message: `${label}: ${(sourceLines[line - 1] ?? '').trim()}` });
  };

  for (const comment of comments(source)) {
    for (const line of commentMarkerLines({ text: options.content.slice(comment.pos, comment.end), firstLine: lineOf(comment.pos) })) {
      report(line, line, 'TODO/FIXME');
    }
  }

  const visit = (node: ts.Node) => {
    if (ts.isThrowStatement(node)) {
      const kind = thrownPlaceholder(node.expression);
      if (kind) report(lineOf(node.getStart(source)), lineOf(node.end), `throw "${kind}"`);
    } else if (isFunctionWithBody(node) && node.body !== undefined && ts.isBlock(node.body) && node.body.statements.length === 0 && owesBody(node, options.content)) {
      findings.push({
        line: lineOf(node.getStart(source)),
        endLine: lineOf(node.end),
        message: `function ${functionName(node)} has an empty body ({})`,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function scriptKind(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/i.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Every comment in the file, found in the trivia before each token (JSX text is content, not trivia). */
function comments(source: ts.SourceFile): ts.CommentRange[] {
  const found = new Map<number, ts.CommentRange>();
  const visit = (node: ts.Node) => {
    if (ts.isJSDoc(node) || node.kind === ts.SyntaxKind.JsxText) return;
    const children = node.getChildren(source);
    if (children.length > 0) {
      children.forEach(visit);
      return;
    }
    for (const range of triviaComments(source.text, node.pos)) found.set(range.pos, range);
  };
  visit(source);
  return [...found.values()];
}

/**
 * The comments in the trivia that starts at `pos`: TypeScript calls the ones before the first line break
 * trailing (they belong to the previous token) and the rest leading.
 */
function triviaComments(text: string, pos: number): ts.CommentRange[] {
  return [...(ts.getTrailingCommentRanges(text, pos) ?? []), ...(ts.getLeadingCommentRanges(text, pos) ?? [])];
}

/** `'not implemented'` or `'TODO'` when the thrown value is a placeholder error. */
function thrownPlaceholder(expression: ts.Expression): 'not implemented' | 'TODO' | null {
  if (ts.isParenthesizedExpression(expression)) return thrownPlaceholder(expression.expression);
  const message = stringValue(expression);
  if (message !== null) return placeholderMessageKind({ message });
  if (!ts.isNewExpression(expression) && !ts.isCallExpression(expression)) return null;
  const callee = expression.expression;
  const className = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (NOT_IMPLEMENTED_ERROR.test(className)) return 'not implemented';
  const first = expression.arguments?.[0];
  const argument = first ? stringValue(first) : null;
  return argument === null ? null : placeholderMessageKind({ message: argument });
}

/** The text of a string or template literal (substitutions left out); null for anything else. */
function stringValue(expression: ts.Expression): string | null {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return expression.text;
  if (ts.isTemplateExpression(expression)) return expression.head.text + expression.templateSpans.map((span) => ` ${span.literal.text}`).join('');
  return null;
}

type FunctionWithBody =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.GetAccessorDeclaration;

function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isGetAccessorDeclaration(node)
  );
}

/** An empty body is a placeholder when a value is declared or a comment inside says so. */
function owesBody(node: FunctionWithBody, text: string): boolean {
  if (node.type && !isVoidLike(node.type)) return true;
  const body = node.body as ts.Block;
  return triviaComments(text, body.statements.end).some((range) =>
    PLACEHOLDER_COMMENT.test(text.slice(range.pos, range.end)),
  );
}

/**
 * Return types an empty body satisfies: void, undefined, any, unknown, a Promise of those, a union of them,
 * or an assertion signature (`asserts value is T` with an empty body is a type-level cast).
 */
function isVoidLike(type: ts.TypeNode): boolean {
  switch (type.kind) {
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return true;
  }
  if (ts.isTypePredicateNode(type)) return type.assertsModifier !== undefined;
  if (ts.isParenthesizedTypeNode(type)) return isVoidLike(type.type);
  if (ts.isUnionTypeNode(type)) return type.types.every(isVoidLike);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && /^(?:Promise|PromiseLike)$/.test(type.typeName.text)) {
    const argument = type.typeArguments?.[0];
    return argument !== undefined && isVoidLike(argument);
  }
  return false;
}

/** The function's own name, or the name it is assigned to; `(anonymous)` otherwise. */
function functionName(node: FunctionWithBody): string {
  const named = node.name ?? (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent) || ts.isPropertyDeclaration(node.parent) ? node.parent.name : undefined);
  return named && (ts.isIdentifier(named) || ts.isPrivateIdentifier(named) || ts.isStringLiteral(named)) ? named.text : '(anonymous)';
}
