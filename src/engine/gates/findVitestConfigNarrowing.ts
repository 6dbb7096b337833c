import ts from 'typescript';
import type { IntegrityFinding } from './IntegrityFinding.js';

/** Options that decide which test files vitest finds, which tests it runs, and whether running none passes. */
const SELECTION_KEYS = new Set(['include', 'exclude', 'includeSource', 'testNamePattern', 'passWithNoTests', 'dir', 'root', 'projects', 'workspace']);
/** Sections whose `include`/`exclude`/`root` are about something else (coverage, the dev server, bundling). */
const UNRELATED_SECTIONS = new Set(['coverage', 'server', 'build', 'optimizeDeps', 'resolve', 'css', 'preview', 'esbuild', 'deps', 'typecheck', 'benchmark', 'plugins', 'ssr', 'worker', 'define', 'browser']);
const printer = ts.createPrinter({ removeComments: true });

/**
 * Compares a `vitest.config.*`, `vite.config.*` or `vitest.workspace.*` file before and after a change. In a
 * config, any change to `include`, `exclude`, `includeSource`, `testNamePattern`, `passWithNoTests`, `dir`,
 * `root`, `projects` or `workspace` (outside coverage, server and build sections) changes which tests run;
 * in a workspace file, any change to its code does. Comments and formatting do not count.
 */
export function findVitestConfigNarrowing(options: {
  /** Workspace-relative path; the file name picks the kind. */
  path: string;
  /** Content before the change; null when the file is new. */
  before: string | null;
  /** Content after the change; null when the file is deleted. */
  after: string | null;
}): IntegrityFinding[] {
  const base = options.path.split('/').at(-1) ?? '';
  if (base.startsWith('vitest.workspace.')) {
    if (printed(options.path, options.before) === printed(options.path, options.after)) return [];
    return [{ file: options.path, line: 1, test: null, message: "vitest's workspace changes, which changes which test projects run" }];
  }
  const before = selections(options.path, options.before);
  const after = selections(options.path, options.after);
  const findings: IntegrityFinding[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(key)?.map((entry) => entry.value).join(' | ') ?? null;
    const now = after.get(key)?.map((entry) => entry.value).join(' | ') ?? null;
    if (old === now) continue;
    findings.push({
      file: options.path,
      line: after.get(key)?.[0]?.line ?? 1,
      test: null,
      message: `vitest's ${key} changes (${describe(old)} -> ${describe(now)}), which changes which tests run`,
    });
  }
  return findings;
}

function describe(value: string | null): string {
  if (value === null) return 'unset';
  return `\`${value.length > 100 ? `${value.slice(0, 97)}...` : value}\``;
}

function parse(path: string, content: string): ts.SourceFile {
  return ts.createSourceFile(path, content, ts.ScriptTarget.Latest, true, /\.[cm]?ts$/.test(path) ? ts.ScriptKind.TS : ts.ScriptKind.JS);
}

function printed(path: string, content: string | null): string | null {
  if (content === null) return null;
  if (path.endsWith('.json')) {
    try {
      return JSON.stringify(JSON.parse(content));
    } catch {
      return content;
    }
  }
  return printer.printFile(parse(path, content)).replace(/\s+/g, ' ');
}

/** The watched options by their path of property names (`test.include`), each with its printed value. */
function selections(path: string, content: string | null): Map<string, Array<{ value: string; line: number }>> {
  const found = new Map<string, Array<{ value: string; line: number }>>();
  if (content === null) return found;
  const source = parse(path, content);
  const record = (chain: string[], value: ts.Node, at: ts.Node) => {
    const key = chain.join('.');
    const entries = found.get(key) ?? [];
    entries.push({ value: printer.printNode(ts.EmitHint.Unspecified, value, source).replace(/\s+/g, ' '), line: source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1 });
    found.set(key, entries);
  };
  const visit = (node: ts.Node, chain: string[]): void => {
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && !ts.isComputedPropertyName(node.name)) {
      const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isNumericLiteral(node.name) ? node.name.text : node.name.getText(source);
      if (UNRELATED_SECTIONS.has(name)) return;
      const inner = [...chain, name];
      if (SELECTION_KEYS.has(name)) record(inner, ts.isPropertyAssignment(node) ? node.initializer : node.name, node);
      if (ts.isPropertyAssignment(node)) visit(node.initializer, inner);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, chain));
  };
  visit(source, []);
  return found;
}
