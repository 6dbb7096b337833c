import ts from 'typescript';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * A JS/TS file "with the names but without the behaviour", by splicing text at the TypeScript parser's node
 * positions (everything else stays byte-identical). A new file (`before` null) is `after` with every
 * function, method, accessor and arrow body returning `undefined` (constructors and setters empty, a derived
 * class's constructor only calling `super`). An existing file is `before` plus stubs of the declarations,
 * imports and exports `after` adds, appended in `after`'s order, and of the members `after` adds to an
 * existing class or enum, inserted before its closing brace. Content that does not parse is spliced as far
 * as the parser understood it (the syntax rail runs before this).
 */
export function stubScript(options: {
  /** Path relative to the repository root; its extension picks TS, TSX, JS or JSX. */
  path: string;
  /** Content before the change; null for a new file. */
  before: string | null;
  /** Content after the change. */
  after: string;
}): string {
  const returned = /\.[cm]?jsx?$/i.test(options.path) ? 'undefined' : 'undefined as any';
  const after = ts.createSourceFile(options.path, options.after, ts.ScriptTarget.Latest, true);
  const bodyEdits = stubBodies(after, returned);
  if (options.before === null) return applyEdits(options.after, bodyEdits);
  const before = ts.createSourceFile(options.path, options.before, ts.ScriptTarget.Latest, true);
  const stubbed = (node: ts.Node) => applyEdits(options.after, bodyEdits, node.getStart(after), node.end);
  const known = topLevelNames(before);
  const appended: string[] = [];
  const insertions: Edit[] = [];
  for (const statement of after.statements) {
    if (ts.isImportDeclaration(statement)) {
      const text = newImport(statement, known.bindings, known.sideEffectImports);
      if (text !== null) appended.push(text);
    } else if (ts.isExportDeclaration(statement)) {
      const text = newExport(statement, known.exports, known.starExports);
      if (text !== null) appended.push(text);
    } else {
      const names = declaredNames(statement);
      const existing = names.filter((name) => known.bindings.has(name) || known.exports.has(name));
      if (names.length > 0 && existing.length === 0) {
        appended.push(stubbed(statement));
      } else if ((ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
        const previous = known.containers.get(statement.name.text);
        if (previous) insertions.push(...newMembers(previous, statement, before, stubbed));
      }
    }
  }
  const content = applyEdits(options.before, insertions);
  if (appended.length === 0) return content;
  return `${content.replace(/\n*$/, '\n')}\n${appended.join('\n\n')}\n`;
}

function stubBodies(source: ts.SourceFile, returned: string): Edit[] {
  const edits: Edit[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const body = node.body as ts.ConciseBody;
      edits.push({ start: body.getStart(source), end: body.end, text: stubBody(node, body, returned) });
      // Whatever the body held (nested functions, classes) goes with it.
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edits;
}

function stubBody(node: ts.SignatureDeclaration, body: ts.ConciseBody, returned: string): string {
  if (ts.isConstructorDeclaration(node)) {
    const derived = node.parent.heritageClauses?.some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
    // A derived class that never calls super() throws on `new`.
    return derived ? '{ super(...arguments); }' : '{}';
  }
  if (ts.isSetAccessorDeclaration(node)) return '{}';
  return ts.isBlock(body) ? `{ return ${returned}; }` : `(${returned})`;
}

function applyEdits(content: string, edits: Edit[], from = 0, to = content.length): string {
  let result = '';
  let position = from;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    if (edit.start < from || edit.end > to) continue;
    result += content.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return result + content.slice(position, to);
}

interface TopLevelNames {
  /** Names bound at the top level: declarations and imports. */
  bindings: Set<string>;
  /** Names the module exports (`default` for a default export). */
  exports: Set<string>;
  /** Module specifiers of `export * from` and bare `import '...'`. */
  starExports: Set<string>;
  sideEffectImports: Set<string>;
  /** Top-level classes and enums by name, where new members can go. */
  containers: Map<string, ts.ClassDeclaration | ts.EnumDeclaration>;
}

function topLevelNames(source: ts.SourceFile): TopLevelNames {
  const names: TopLevelNames = { bindings: new Set(), exports: new Set(), starExports: new Set(), sideEffectImports: new Set(), containers: new Map() };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      if (!statement.importClause) names.sideEffectImports.add(moduleName(statement.moduleSpecifier));
      for (const binding of importBindings(statement)) names.bindings.add(binding.name);
    } else if (ts.isExportDeclaration(statement)) {
      if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) names.exports.add(element.name.text);
      } else if (statement.exportClause) {
        names.exports.add(statement.exportClause.name.text);
      } else if (statement.moduleSpecifier) {
        names.starExports.add(moduleName(statement.moduleSpecifier));
      }
    } else {
      for (const name of declaredNames(statement)) {
        if (name === 'default') names.exports.add(name);
        else names.bindings.add(name);
      }
      if ((ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) names.containers.set(statement.name.text, statement);
    }
  }
  return names;
}

/** Names a top-level statement other than an import or export list declares; `default` for a default export. */
function declaredNames(statement: ts.Statement): string[] {
  const names: string[] = [];
  if (ts.isExportAssignment(statement)) return ['default'];
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) names.push('default');
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) names.push(...bindingNames(declaration.name));
  } else if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement)
  ) {
    if (statement.name) names.push(statement.name.text);
  }
  return names;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

function moduleName(specifier: ts.Expression): string {
  return ts.isStringLiteral(specifier) ? specifier.text : specifier.getText();
}

interface ImportBinding {
  name: string;
  /** The import written for this binding alone. */
  text: string;
}

function importBindings(statement: ts.ImportDeclaration): ImportBinding[] {
  const clause = statement.importClause;
  if (!clause) return [];
  const from = ` from ${statement.moduleSpecifier.getText()};`;
  const type = clause.isTypeOnly ? 'type ' : '';
  const bindings: ImportBinding[] = [];
  if (clause.name) bindings.push({ name: clause.name.text, text: `import ${type}${clause.name.text}${from}` });
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) bindings.push({ name: named.name.text, text: `import ${type}* as ${named.name.text}${from}` });
  if (named && ts.isNamedImports(named)) {
    for (const element of named.elements) bindings.push({ name: element.name.text, text: `import ${type}{ ${element.getText()} }${from}` });
  }
  return bindings;
}

/** The part of an import that binds names `before` lacks (ES modules refuse a binding imported twice). */
function newImport(statement: ts.ImportDeclaration, bindings: Set<string>, sideEffectImports: Set<string>): string | null {
  if (!statement.importClause) return sideEffectImports.has(moduleName(statement.moduleSpecifier)) ? null : statement.getText();
  const fresh = importBindings(statement).filter((binding) => !bindings.has(binding.name));
  return fresh.length === 0 ? null : fresh.map((binding) => binding.text).join('\n');
}

function newExport(statement: ts.ExportDeclaration, exports: Set<string>, starExports: Set<string>): string | null {
  const clause = statement.exportClause;
  if (!clause) return statement.moduleSpecifier && starExports.has(moduleName(statement.moduleSpecifier)) ? null : statement.getText();
  if (ts.isNamespaceExport(clause)) return exports.has(clause.name.text) ? null : statement.getText();
  const fresh = clause.elements.filter((element) => !exports.has(element.name.text));
  if (fresh.length === 0) return null;
  const from = statement.moduleSpecifier ? ` from ${statement.moduleSpecifier.getText()}` : '';
  return `export ${statement.isTypeOnly ? 'type ' : ''}{ ${fresh.map((element) => element.getText()).join(', ')} }${from};`;
}

function memberName(member: ts.ClassElement | ts.EnumMember): string | null {
  if (ts.isConstructorDeclaration(member)) return 'constructor';
  if (!member.name || ts.isComputedPropertyName(member.name)) return null;
  const name = member.name;
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : null;
}

/** Insertions of the members `next` adds to the class or enum `previous`, before its closing brace. */
function newMembers(
  previous: ts.ClassDeclaration | ts.EnumDeclaration,
  next: ts.ClassDeclaration | ts.EnumDeclaration,
  source: ts.SourceFile,
  stubbed: (node: ts.Node) => string,
): Edit[] {
  if (previous.kind !== next.kind) return [];
  const previousMembers: readonly (ts.ClassElement | ts.EnumMember)[] = previous.members;
  const nextMembers: readonly (ts.ClassElement | ts.EnumMember)[] = next.members;
  const existing = new Set(previousMembers.map(memberName));
  const added = nextMembers.filter((member) => {
    const name = memberName(member);
    return name !== null && !existing.has(name);
  });
  const close = previous.end - 1;
  if (added.length === 0 || source.text[close] !== '}') return [];
  const first = previousMembers[0];
  const indent = (first && /\n([ \t]*)$/.exec(source.text.slice(0, first.getStart(source)))?.[1]) || '  ';
  // New members go on lines of their own above the closing brace, which keeps its indentation.
  const at = close - (/[ \t]*$/.exec(source.text.slice(0, close))?.[0].length ?? 0);
  const lead = source.text[at - 1] === '\n' ? '' : '\n';
  const edits: Edit[] = [];
  const last = previousMembers.at(-1);
  if (last && needsSeparator(last, last.getText(source), previous)) edits.push({ start: last.end, end: last.end, text: ts.isEnumDeclaration(previous) ? ',' : ';' });
  const lines = added.map((member) => {
    const text = stubbed(member);
    return `${indent}${text}${needsSeparator(member, text, previous) ? (ts.isEnumDeclaration(previous) ? ',' : ';') : ''}\n`;
  });
  edits.push({ start: at, end: at, text: `${lead}${lines.join('')}` });
  return edits;
}

/**
 * Enum members need commas between them; a class field without its semicolon would run into a following
 * `*generator()` or `[computed]` member.
 */
function needsSeparator(member: ts.ClassElement | ts.EnumMember, text: string, container: ts.ClassDeclaration | ts.EnumDeclaration): boolean {
  if (ts.isEnumDeclaration(container)) return !(member === container.members.at(-1) && container.members.hasTrailingComma);
  return ts.isPropertyDeclaration(member) && !text.trimEnd().endsWith(';');
}
