import ts from 'typescript';
import type { AssertionInfo, TestAnalysis, TestFileAnalysis } from './TestFileAnalysis.js';

type Marker = TestAnalysis['markers'][number];
type MarkerKind = Marker['kind'];

const SUITES = new Set(['describe', 'suite', 'context', 'xdescribe', 'fdescribe', 'xcontext', 'xsuite']);
const TESTS = new Set(['it', 'test', 'specify', 'xit', 'xtest', 'fit', 'xspecify']);
/** Chained modifiers of `describe`/`it`/`test`; anything else (`test.extend`) is not a test call. */
const MODIFIERS = new Set(['skip', 'only', 'todo', 'each', 'concurrent', 'sequential', 'skipIf', 'runIf', 'fails', 'shuffle', 'for']);
const MODIFIER_MARKERS: Record<string, MarkerKind> = { skip: 'skip', skipIf: 'skip', runIf: 'skip', only: 'only', todo: 'todo', fails: 'xfail' };
/** node:test and vitest test options that disable or focus a test. */
const OPTION_MARKERS: Record<string, MarkerKind> = { skip: 'skip', only: 'only', todo: 'todo', fails: 'xfail' };
/** Words between `expect(x)` and the matcher: jest/vitest modifiers and chai's language chains. */
const EXPECT_CHAIN = new Set(['not', 'resolves', 'rejects', 'to', 'be', 'been', 'is', 'that', 'which', 'and', 'has', 'have', 'with', 'at', 'of', 'same', 'deep', 'does', 'still', 'also']);
const RAISING_MATCHERS = new Set(['toThrow', 'toThrowError', 'toThrowErrorMatchingSnapshot', 'toThrowErrorMatchingInlineSnapshot', 'throw', 'throws', 'rejectedWith']);
const TRUTHY_MATCHERS = new Set(['toBeTruthy', 'toBeFalsy', 'toBeDefined', 'ok', 'exist']);
/** Matchers that, negated, only say a value is there (`not.toBeNull()`). */
const NEGATED_TRUTHY_MATCHERS = new Set(['toBeNull', 'toBeUndefined', 'toBeDefined', 'toBeTruthy', 'toBeFalsy', 'toBeNaN', 'null', 'undefined', 'ok', 'exist']);
const EXACT_MATCHERS = new Set([
  'toBe', 'toEqual', 'toStrictEqual', 'toMatchObject', 'toHaveLength', 'toContain', 'toContainEqual', 'toBeCloseTo',
  'toBeGreaterThan', 'toBeGreaterThanOrEqual', 'toBeLessThan', 'toBeLessThanOrEqual', 'toMatch', 'toBeNull',
  'toBeUndefined', 'toBeNaN', 'toMatchInlineSnapshot', 'toHaveProperty', 'equal', 'equals', 'eq', 'eql', 'lengthOf',
  'include', 'contain', 'members', 'above', 'below', 'least', 'most', 'closeTo', 'match', 'property',
]);
const EXACT_ASSERTS = new Set([
  'equal', 'strictEqual', 'deepEqual', 'deepStrictEqual', 'partialDeepStrictEqual', 'match', 'lengthOf', 'include',
  'sameMembers', 'sameDeepMembers', 'closeTo', 'isNull', 'isUndefined', 'isAbove', 'isBelow', 'isAtLeast', 'isAtMost',
]);
const TRUTHY_ASSERTS = new Set(['ok', 'isOk', 'isTrue', 'isFalse', 'isNotOk', 'exists', 'isDefined', 'isNotNull', 'isFunction']);
const RAISING_ASSERTS = new Set(['throws', 'rejects', 'Throw', 'throw', 'isRejected']);
const ASSERT_MODULE = /^(?:node:)?assert(?:\/strict)?$/;

/** How the file names node's `assert`: roots (`assert`, `t.assert`) and functions imported by name. */
interface AssertNames {
  roots: Set<string>;
  functions: Map<string, string>;
}

interface Scope {
  chain: string[];
  markers: Marker[];
  /** Names of enclosing tests' context parameters (`t` in `test('x', (t) => ...)`), for `t.test` subtests. */
  contexts: Set<string>;
}

interface TestCall {
  kind: 'suite' | 'test';
  name: string;
  markers: Marker[];
  body: ts.ArrowFunction | ts.FunctionExpression | undefined;
}

/**
 * Finds the tests in one JS/TS test file with the TypeScript parser: `describe`/`suite` chains, `it`/`test`
 * (with `.skip/.only/.todo/.each/.skipIf/.fails`, `xit`, `xdescribe`, node:test options and `t.test`
 * subtests), their `expect(...)`, node `assert` and chai assertions, and `t.skip()`-style markers.
 */
export function analyzeScriptTestFile(options: {
  /** Workspace-relative path; its extension picks the dialect (TS, TSX, JS, JSX). */
  path: string;
  content: string;
}): TestFileAnalysis {
  const { path, content } = options;
  const parseError = firstSyntaxError(path, content);
  if (parseError !== null) return { path, parseError, tests: [] };
  const source = ts.createSourceFile(path, content, ts.ScriptTarget.Latest, true, scriptKind(path));
  const names = assertNames(source);
  const tests: TestAnalysis[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const textOf = (node: ts.Node) => node.getText(source).replace(/\s+/g, ' ').trim();

  const walk = (node: ts.Node, scope: Scope): void => {
    const call = ts.isCallExpression(node) ? testCall(node, scope, lineOf, textOf) : null;
    if (!call) {
      ts.forEachChild(node, (child) => walk(child, scope));
      return;
    }
    const markers = [...scope.markers, ...call.markers];
    const context = call.body ? contextNames(call.body) : { parameter: null, skips: new Set<string>() };
    const contexts = new Set(scope.contexts);
    if (context.parameter) contexts.add(context.parameter);
    if (call.kind === 'test') {
      const found = { assertions: [] as AssertionInfo[], existence: [] as boolean[], markers: [] as Marker[] };
      if (call.body) {
        const local = declaredNames(call.body);
        collectAssertions(call.body.body, { names, context, local, scope: { ...scope, contexts }, lineOf, textOf, found });
      }
      tests.push({
        id: [path, ...scope.chain, call.name].join('::'),
        name: call.name,
        line: lineOf(node),
        assertions: found.assertions,
        markers: [...markers, ...found.markers],
        existenceOnly: found.existence.length > 0 && found.existence.every(Boolean),
      });
    }
    if (call.body) walk(call.body.body, { chain: [...scope.chain, call.name], markers, contexts });
  };
  walk(source, { chain: [], markers: [], contexts: new Set() });
  return { path, parseError: null, tests };
}

function firstSyntaxError(path: string, content: string): string | null {
  const result = ts.transpileModule(content, {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, jsx: ts.JsxEmit.Preserve, allowJs: true },
  });
  const error = (result.diagnostics ?? []).find((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error && diagnostic.file !== undefined);
  if (!error) return null;
  const line = error.start === undefined ? null : content.slice(0, error.start).split('\n').length;
  const message = ts.flattenDiagnosticMessageText(error.messageText, ' ');
  return line === null ? message : `line ${line}: ${message}`;
}

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?ts$/.test(path)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** `assert` plus whatever `node:assert` is imported or required as, and its functions imported by name. */
function assertNames(source: ts.SourceFile): AssertNames {
  const names: AssertNames = { roots: new Set(['assert']), functions: new Map() };
  const bindName = (binding: ts.BindingName) => {
    if (ts.isIdentifier(binding)) names.roots.add(binding.text);
    else if (ts.isObjectBindingPattern(binding)) {
      for (const element of binding.elements) {
        const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : ts.isIdentifier(element.name) ? element.name.text : null;
        if (imported && ts.isIdentifier(element.name)) bindImported(imported, element.name.text);
      }
    }
  };
  const bindImported = (imported: string, local: string) => {
    if (imported === 'strict' || imported === 'default') names.roots.add(local);
    else names.functions.set(local, imported);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && ASSERT_MODULE.test(node.moduleSpecifier.text)) {
      const clause = node.importClause;
      if (clause?.name) names.roots.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.roots.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) bindImported((element.propertyName ?? element.name).text, element.name.text);
      }
    } else if (ts.isVariableDeclaration(node) && node.initializer && isRequireOf(node.initializer)) {
      bindName(node.name);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function isRequireOf(expression: ts.Expression): boolean {
  const call = ts.isPropertyAccessExpression(expression) ? expression.expression : expression;
  return (
    ts.isCallExpression(call) &&
    ts.isIdentifier(call.expression) &&
    call.expression.text === 'require' &&
    call.arguments[0] !== undefined &&
    ts.isStringLiteral(call.arguments[0]) &&
    ASSERT_MODULE.test(call.arguments[0].text)
  );
}

/** The callee as names: `it.skip.each(table)` -> `['it', 'skip', 'each']`; null for anything else. */
function calleeParts(expression: ts.Expression): string[] | null {
  if (ts.isIdentifier(expression)) return [expression.text];
  if (ts.isPropertyAccessExpression(expression)) {
    const base = calleeParts(expression.expression);
    return base ? [...base, expression.name.text] : null;
  }
  if (ts.isCallExpression(expression)) return calleeParts(expression.expression);
  if (ts.isTaggedTemplateExpression(expression)) return calleeParts(expression.tag);
  return null;
}

function testCall(node: ts.CallExpression, scope: Scope, lineOf: (node: ts.Node) => number, textOf: (node: ts.Node) => string): TestCall | null {
  const parts = calleeParts(node.expression);
  if (!parts || node.arguments.length === 0) return null;
  const [base, ...rest] = parts as [string, ...string[]];
  let kind: 'suite' | 'test';
  let modifiers: string[];
  if (SUITES.has(base)) [kind, modifiers] = ['suite', rest];
  else if (TESTS.has(base)) [kind, modifiers] = ['test', rest];
  else if (scope.contexts.has(base) && (rest[0] === 'test' || rest[0] === 'it')) [kind, modifiers] = ['test', rest.slice(1)];
  else return null;
  if (!modifiers.every((modifier) => MODIFIERS.has(modifier))) return null;
  // `test.each(table)` alone only builds the test function; the call that names the test comes after it.
  const parameterised = modifiers.includes('each') || modifiers.includes('for') || modifiers.includes('skipIf') || modifiers.includes('runIf');
  if (parameterised && !ts.isCallExpression(node.expression) && !ts.isTaggedTemplateExpression(node.expression)) return null;

  const line = lineOf(node);
  const markers: Marker[] = [];
  for (const modifier of modifiers) {
    const marker = MODIFIER_MARKERS[modifier];
    if (marker) markers.push({ kind: marker, line });
  }
  if (base.startsWith('x')) markers.push({ kind: 'skip', line });
  if (base.startsWith('f')) markers.push({ kind: 'only', line });
  for (const argument of node.arguments) {
    if (!ts.isObjectLiteralExpression(argument)) continue;
    for (const property of argument.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
      const marker = OPTION_MARKERS[property.name.text];
      const off = property.initializer.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(property.initializer) && property.initializer.text === 'undefined');
      if (marker && !off) markers.push({ kind: marker, line: lineOf(property) });
    }
  }
  const title = node.arguments[0] as ts.Expression;
  const name = ts.isStringLiteralLike(title) ? title.text : ts.isFunctionLike(title) && title.name && ts.isIdentifier(title.name) ? title.name.text : textOf(title);
  const body = [...node.arguments].reverse().find((argument): argument is ts.ArrowFunction | ts.FunctionExpression => ts.isArrowFunction(argument) || ts.isFunctionExpression(argument));
  return { kind, name, markers, body };
}

/** The test's context parameter (`t`, `ctx`) and the names that skip it (`skip` from `({ skip }) => ...`). */
function contextNames(body: ts.ArrowFunction | ts.FunctionExpression): { parameter: string | null; skips: Set<string> } {
  const first = body.parameters[0]?.name;
  const skips = new Set<string>();
  if (first && ts.isObjectBindingPattern(first)) {
    for (const element of first.elements) {
      const property = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : ts.isIdentifier(element.name) ? element.name.text : null;
      if ((property === 'skip' || property === 'todo') && ts.isIdentifier(element.name)) skips.add(element.name.text);
    }
  }
  return { parameter: first && ts.isIdentifier(first) ? first.text : null, skips };
}

/** Variables the test declares itself: checks on them are about computed values, not existence. */
function declaredNames(body: ts.ArrowFunction | ts.FunctionExpression): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) bind(node.name);
    ts.forEachChild(node, visit);
  };
  visit(body.body);
  return names;
}

interface Collector {
  names: AssertNames;
  context: { parameter: string | null; skips: Set<string> };
  local: Set<string>;
  scope: Scope;
  lineOf: (node: ts.Node) => number;
  textOf: (node: ts.Node) => string;
  found: { assertions: AssertionInfo[]; existence: boolean[]; markers: Marker[] };
}

function collectAssertions(node: ts.Node, collector: Collector): void {
  if (ts.isCallExpression(node)) {
    if (testCall(node, collector.scope, collector.lineOf, collector.textOf)) return;
    const assertion = expectAssertion(node, collector) ?? assertAssertion(node, collector);
    if (assertion) {
      collector.found.assertions.push(assertion.info);
      collector.found.existence.push(assertion.existence);
      return;
    }
    const marker = skipCall(node, collector);
    if (marker) collector.found.markers.push({ kind: marker, line: collector.lineOf(node) });
  }
  ts.forEachChild(node, (child) => collectAssertions(child, collector));
}

/** `t.skip()`, `ctx.skip()`, `this.skip()`, `skip()` from the context, and their `todo` twins. */
function skipCall(node: ts.CallExpression, collector: Collector): MarkerKind | null {
  const callee = node.expression;
  if (ts.isIdentifier(callee) && collector.context.skips.has(callee.text)) return 'skip';
  if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'skip' && callee.name.text !== 'todo')) return null;
  const owner = callee.expression;
  const isContext = owner.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(owner) && owner.text === collector.context.parameter);
  if (!isContext) return null;
  return callee.name.text === 'skip' ? 'skip' : 'todo';
}

interface Found {
  info: AssertionInfo;
  existence: boolean;
}

function expectAssertion(node: ts.CallExpression, collector: Collector): Found | null {
  if (!ts.isPropertyAccessExpression(node.expression)) return null;
  const matcher = node.expression.name.text;
  const chain: string[] = [];
  let owner: ts.Expression = node.expression.expression;
  while (ts.isPropertyAccessExpression(owner) && EXPECT_CHAIN.has(owner.name.text)) {
    chain.push(owner.name.text);
    owner = owner.expression;
  }
  if (!ts.isCallExpression(owner) || !isExpect(owner.expression, collector)) return null;
  const subject = owner.arguments[0];
  const negated = chain.includes('not');
  const [first, second] = node.arguments;
  let kind: AssertionInfo['kind'];
  let expected: ts.Expression | undefined;
  if (negated && RAISING_MATCHERS.has(matcher)) kind = 'other';
  else if (chain.includes('rejects') || RAISING_MATCHERS.has(matcher)) kind = 'raises';
  else if (negated) kind = NEGATED_TRUTHY_MATCHERS.has(matcher) ? 'truthiness' : 'other';
  else if (TRUTHY_MATCHERS.has(matcher) || ((matcher === 'toHaveProperty' || matcher === 'property') && second === undefined)) kind = 'truthiness';
  else if (EXACT_MATCHERS.has(matcher)) {
    kind = 'exact';
    expected = matcher === 'toHaveProperty' || matcher === 'property' ? second : first;
  } else kind = 'other';

  const symbolChecked = subject !== undefined && namesSymbol(subject, collector.local);
  const existence =
    (!negated && (matcher === 'toBeDefined' || matcher === 'toBeTruthy') && symbolChecked) ||
    (negated && (matcher === 'toBeUndefined' || matcher === 'toBeNull' || matcher === 'toBeFalsy') && symbolChecked) ||
    (!negated && (matcher === 'toHaveProperty' || matcher === 'property') && second === undefined) ||
    (!negated && matcher === 'toBeTypeOf' && first !== undefined && ts.isStringLiteralLike(first) && first.text === 'function') ||
    (!negated && matcher === 'toBeInstanceOf' && first !== undefined && ts.isIdentifier(first) && first.text === 'Function') ||
    (subject !== undefined && !negated && kind === 'truthiness' && isExistenceCheck(subject, collector.local)) ||
    (subject !== undefined && !negated && isTrueLiteral(first) && !namesSymbol(subject, collector.local) && isExistenceCheck(subject, collector.local)) ||
    (subject !== undefined && isTypeofFunction(subject, first, negated));
  return { info: assertionInfo(node, kind, expected, collector), existence };
}

function isExpect(callee: ts.Expression, collector: Collector): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'expect' || callee.text === 'expectTypeOf';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const owner = callee.expression;
  if (ts.isIdentifier(owner) && owner.text === 'expect') return callee.name.text === 'soft' || callee.name.text === 'poll';
  return callee.name.text === 'expect' && ts.isIdentifier(owner) && owner.text === collector.context.parameter;
}

function assertAssertion(node: ts.CallExpression, collector: Collector): Found | null {
  const method = assertMethod(node.expression, collector);
  if (method === null) return null;
  const [first, second] = node.arguments;
  let kind: AssertionInfo['kind'];
  let expected: ts.Expression | undefined;
  if (method === '' || TRUTHY_ASSERTS.has(method)) kind = 'truthiness';
  else if (RAISING_ASSERTS.has(method)) kind = 'raises';
  else if (EXACT_ASSERTS.has(method)) {
    kind = 'exact';
    expected = [second, first].find((argument) => argument !== undefined && isLiteral(argument));
  } else kind = 'other';
  const existence =
    ((method === '' || method === 'ok' || method === 'isOk' || method === 'exists' || method === 'isDefined' || method === 'isNotNull') && first !== undefined && isExistenceCheck(first, collector.local)) ||
    (method === 'isFunction' && first !== undefined) ||
    ((method === 'equal' || method === 'strictEqual') && first !== undefined && isTypeofFunction(first, second, false)) ||
    ((method === 'notEqual' || method === 'notStrictEqual') && first !== undefined && namesSymbol(first, collector.local) && second !== undefined && isNullish(second));
  return { info: assertionInfo(node, kind, expected, collector), existence };
}

/** '' for a bare `assert(x)`, the method for `assert.equal`, `assert.strict.equal`, `t.assert.equal` or an imported `equal`. */
function assertMethod(callee: ts.Expression, collector: Collector): string | null {
  if (ts.isIdentifier(callee)) return collector.names.roots.has(callee.text) ? '' : (collector.names.functions.get(callee.text) ?? null);
  const parts = calleeParts(callee);
  if (!parts || ts.isCallExpression(callee)) return null;
  const [root, ...rest] = parts as [string, ...string[]];
  const path = collector.names.roots.has(root) ? rest : root === collector.context.parameter && rest[0] === 'assert' ? rest.slice(1) : null;
  if (path === null) return null;
  const methods = path.filter((part) => part !== 'strict');
  if (methods.length === 0) return '';
  return methods.length === 1 ? (methods[0] as string) : null;
}

function assertionInfo(node: ts.CallExpression, kind: AssertionInfo['kind'], expected: ts.Expression | undefined, collector: Collector): AssertionInfo {
  return {
    line: collector.lineOf(node),
    kind,
    text: collector.textOf(node),
    expected: kind === 'exact' && expected !== undefined && isLiteral(expected) ? collector.textOf(expected) : null,
  };
}

function isLiteral(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isLiteral(node.expression);
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || ts.isBigIntLiteral(node) || ts.isRegularExpressionLiteral(node)) return true;
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(node)) return node.text === 'undefined' || node.text === 'NaN' || node.text === 'Infinity';
  if (ts.isPrefixUnaryExpression(node)) return (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken) && isLiteral(node.operand);
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((element) => isLiteral(element));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every((property) => ts.isPropertyAssignment(property) && !ts.isComputedPropertyName(property.name) && isLiteral(property.initializer));
  }
  return false;
}

function isTrueLiteral(node: ts.Expression | undefined): boolean {
  return node !== undefined && node.kind === ts.SyntaxKind.TrueKeyword;
}

function isNullish(node: ts.Expression): boolean {
  return node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined');
}

/** A bare name or property chain that the test did not compute itself (an import, a module member). */
function namesSymbol(node: ts.Expression, local: Set<string>): boolean {
  if (ts.isParenthesizedExpression(node)) return namesSymbol(node.expression, local);
  if (ts.isIdentifier(node)) return node.text !== 'undefined' && !local.has(node.text);
  return ts.isPropertyAccessExpression(node) && namesSymbol(node.expression, local);
}

/** `f`, `'f' in m`, `typeof f === 'function'`, `f !== undefined`, `Object.hasOwn(m, 'f')`, `m.hasOwnProperty('f')`. */
function isExistenceCheck(node: ts.Expression, local: Set<string>): boolean {
  if (ts.isParenthesizedExpression(node)) return isExistenceCheck(node.expression, local);
  if (namesSymbol(node, local)) return true;
  if (ts.isBinaryExpression(node)) {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.InKeyword) return true;
    const equality = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(operator);
    const inequality = [ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(operator);
    if (equality || inequality) {
      if (isTypeofFunction(node.left, node.right, inequality) || isTypeofFunction(node.right, node.left, inequality)) return true;
      if (inequality && ((namesSymbol(node.left, local) && isNullish(node.right)) || (namesSymbol(node.right, local) && isNullish(node.left)))) return true;
    }
    return false;
  }
  if (ts.isCallExpression(node)) {
    const parts = calleeParts(node.expression);
    const last = parts?.at(-1);
    return last === 'hasOwn' || last === 'hasOwnProperty' || (parts?.[0] === 'Reflect' && last === 'has');
  }
  return false;
}

/** `typeof f` compared with `'function'` (or, negated, with `'undefined'`). */
function isTypeofFunction(subject: ts.Expression, against: ts.Expression | undefined, negated: boolean): boolean {
  if (!ts.isTypeOfExpression(subject) || against === undefined || !ts.isStringLiteralLike(against)) return false;
  return negated ? against.text === 'undefined' : against.text === 'function';
}
