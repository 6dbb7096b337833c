import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import { MissingTestCommandError } from './MissingTestCommandError.js';
import type { StackProfile, TestRunner } from '../../shared/StackProfile.js';
import { shellQuote } from './shellQuote.js';

const PYTHON_MARKERS = ['pyproject.toml', 'setup.cfg', 'setup.py', 'pytest.ini', 'tox.ini', 'conftest.py', 'requirements.txt'];
const PYTEST = 'python3 -m pytest -q -p no:cacheprovider';
const VITEST = 'npx vitest run';
/** What `npm init` writes as the test script: it means "no tests". */
const NPM_PLACEHOLDER = /no test specified/;
/** Node flags that take a separate value, kept with their value when rebuilding a `node --test` command. */
const NODE_VALUE_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C']);
/** How deep the project is searched for Python test files when no Python marker file exists. */
const PYTHON_SCAN_DEPTH = 3;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', 'dist', 'build']);

interface PackageJson {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

/**
 * Works out how to run a project's tests. `nightshift.json`'s `testCommand` / `testFileCommand` override
 * the detected commands (the name still reports the detected stack); `custom` means only the config says
 * how. Python: a marker file (pyproject.toml, setup.cfg, pytest.ini, conftest.py, requirements.txt, ...) or
 * Python test files -> pytest. Node: package.json; vitest in the dependencies or a vitest config -> vitest;
 * a `node --test` or missing test script -> `node --test`; any other test script -> `npm test`.
 * Throws `MissingTestCommandError` when nothing is configured or detected.
 */
export async function detectStack(options: {
  /** Absolute path of the project (or workspace) root. */
  root: string;
  /** Parsed `nightshift.json`. */
  config: ProjectConfig;
}): Promise<StackProfile> {
  const root = resolve(options.root);
  const entries = await listNames(root);
  const pkg = entries.has('package.json') ? await readPackageJson(join(root, 'package.json')) : null;
  const detected = detectNode(pkg, entries) ?? ((await isPythonProject(root, entries)) ? pythonStack() : null) ?? (pkg ? nodeTestStack(pkg, entries) : null);

  const { testCommand, testFileCommand } = options.config;
  if (detected === null) {
    if (!testCommand) {
      throw new MissingTestCommandError({
        root,
        looked: 'no nightshift.json testCommand, no package.json and no Python project files',
        suggestion: '"testCommand": "make test"',
      });
    }
    return {
      name: 'custom',
      testCommand,
      // Without a way to run single files, the whole suite stands in for them.
      testFileCommand: testFileCommand ? fromTemplate(testFileCommand) : () => testCommand,
      isTestFile: (path) => isPythonTestFile(path) || isScriptTestFile(path),
      sourceLanguage: 'unknown',
      runner: runnerOf(testCommand),
    };
  }
  return {
    ...detected,
    testCommand: testCommand ?? detected.testCommand,
    testFileCommand: testFileCommand ? fromTemplate(testFileCommand) : detected.testFileCommand,
    runner: testCommand ? runnerOf(testCommand) : detected.runner,
  };
}

/** The runner a configured command names, when it names one Nightshift reads. */
function runnerOf(command: string): TestRunner | null {
  if (/\bpytest\b/.test(command)) return 'pytest';
  if (/\bvitest\b/.test(command)) return 'vitest';
  if (/\bnode\b.*\s--test\b/.test(command)) return 'node-test';
  return null;
}

async function listNames(root: string): Promise<Set<string>> {
  try {
    return new Set(await readdir(root));
  } catch {
    return new Set();
  }
}

async function readPackageJson(file: string): Promise<PackageJson> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : {};
  } catch {
    // A broken package.json is the suite's problem to report; detection falls back to defaults.
    return {};
  }
}

function detectNode(pkg: PackageJson | null, entries: Set<string>): StackProfile | null {
  if (pkg === null) return null;
  const hasVitest =
    hasDependency(pkg, 'vitest') || [...entries].some((name) => /^vitest\.config\.[cm]?[jt]s$/.test(name) || /^vitest\.workspace\./.test(name));
  if (hasVitest) {
    return {
      name: 'node-vitest',
      testCommand: VITEST,
      testFileCommand: appendFiles(VITEST),
      isTestFile: isScriptTestFile,
      sourceLanguage: scriptLanguage(pkg, entries),
      runner: 'vitest',
    };
  }
  return testScript(pkg) === null ? null : nodeTestStack(pkg, entries);
}

function nodeTestStack(pkg: PackageJson, entries: Set<string>): StackProfile {
  const sourceLanguage = scriptLanguage(pkg, entries);
  const script = testScript(pkg);
  if (script === null || /^node\s+--test\s*$/.test(script)) {
    return { name: 'node-test', testCommand: 'node --test', testFileCommand: appendFiles('node --test'), isTestFile: isScriptTestFile, sourceLanguage, runner: 'node-test' };
  }
  const nodeTest = nodeTestPrefix(script);
  if (nodeTest !== null) {
    return {
      name: 'node-test',
      testCommand: 'npm test --silent',
      testFileCommand: appendFiles(nodeTest),
      isTestFile: isScriptTestFile,
      sourceLanguage,
      runner: 'node-test',
    };
  }
  return {
    name: 'custom',
    testCommand: 'npm test --silent',
    testFileCommand: appendFiles('npm test --silent --'),
    isTestFile: isScriptTestFile,
    sourceLanguage,
    runner: runnerOf(script),
  };
}

function testScript(pkg: PackageJson): string | null {
  const script = pkg.scripts?.test;
  if (typeof script !== 'string' || script.trim() === '' || NPM_PLACEHOLDER.test(script)) return null;
  return script.trim();
}

/** `node [flags] --test [flags] paths...` -> `node [flags] --test [flags]`, so chosen files can be appended. */
function nodeTestPrefix(script: string): string | null {
  const words = script.split(/\s+/);
  if (words[0] !== 'node' || !words.includes('--test')) return null;
  const kept = ['node'];
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index] as string;
    if (!word.startsWith('-')) break;
    kept.push(word);
    const value = words[index + 1];
    if (NODE_VALUE_FLAGS.has(word) && value !== undefined) {
      kept.push(value);
      index += 1;
    }
  }
  return kept.join(' ');
}

function hasDependency(pkg: PackageJson, name: string): boolean {
  return Boolean(pkg.dependencies?.[name] ?? pkg.devDependencies?.[name]);
}

function scriptLanguage(pkg: PackageJson, entries: Set<string>): StackProfile['sourceLanguage'] {
  return entries.has('tsconfig.json') || hasDependency(pkg, 'typescript') ? 'typescript' : 'javascript';
}

async function isPythonProject(root: string, entries: Set<string>): Promise<boolean> {
  if (PYTHON_MARKERS.some((name) => entries.has(name))) return true;
  return hasPythonTests(root, PYTHON_SCAN_DEPTH);
}

async function hasPythonTests(dir: string, depth: number): Promise<boolean> {
  let children;
  try {
    children = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const child of children) {
    if (child.isFile() && isPythonTestFile(child.name)) return true;
  }
  if (depth <= 1) return false;
  for (const child of children) {
    if (child.isDirectory() && !child.name.startsWith('.') && !SKIPPED_DIRS.has(child.name) && (await hasPythonTests(join(dir, child.name), depth - 1))) {
      return true;
    }
  }
  return false;
}

function pythonStack(): StackProfile {
  return {
    name: 'python-pytest',
    testCommand: PYTEST,
    testFileCommand: appendFiles(PYTEST),
    isTestFile: isPythonTestFile,
    sourceLanguage: 'python',
    runner: 'pytest',
  };
}

/** pytest's conventions: `test_*.py`, `*_test.py`, or any module under a `tests/` (or `test/`) folder. */
function isPythonTestFile(path: string): boolean {
  const segments = path.split('/');
  const base = segments.at(-1) ?? '';
  if (!base.endsWith('.py') || base === 'conftest.py' || base === '__init__.py') return false;
  return /^test_.+\.py$/.test(base) || /.+_test\.py$/.test(base) || segments.slice(0, -1).some((segment) => segment === 'tests' || segment === 'test');
}

/** JS/TS conventions: `*.test.*`, `*.spec.*`, or any script under `test/`, `tests/` or `__tests__/`. */
function isScriptTestFile(path: string): boolean {
  const segments = path.split('/');
  const base = segments.at(-1) ?? '';
  if (!/\.[cm]?[jt]sx?$/.test(base)) return false;
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(base) || segments.slice(0, -1).some((segment) => segment === 'test' || segment === 'tests' || segment === '__tests__');
}

function appendFiles(command: string): (files: string[]) => string {
  return (files) => [command, ...files.map(shellQuote)].join(' ');
}

/** `{files}` is replaced by the quoted paths; a template without it gets them appended. */
function fromTemplate(template: string): (files: string[]) => string {
  return (files) => {
    const quoted = files.map(shellQuote).join(' ');
    return template.includes('{files}') ? template.replaceAll('{files}', quoted) : `${template} ${quoted}`;
  };
}
