import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import { AnalysisToolError } from '../analysis/AnalysisToolError.js';
import { analyzeTestFiles } from '../analysis/analyzeTestFiles.js';
import { findCollectionHooks } from '../analysis/findCollectionHooks.js';
import type { TestFileAnalysis } from '../analysis/TestFileAnalysis.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { FileChange } from '../ports/Vcs.js';
import { compareTestAnalyses } from './compareTestAnalyses.js';
import { findPytestConfigNarrowing } from './findPytestConfigNarrowing.js';
import { findTestScriptChange } from './findTestScriptChange.js';
import { findVitestConfigNarrowing } from './findVitestConfigNarrowing.js';
import type { IntegrityFinding } from './IntegrityFinding.js';

const PYTEST_CONFIG = new Set(['pytest.ini', '.pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml']);
const VITEST_CONFIG = /^(?:vitest\.config|vite\.config)\.[cm]?[jt]s$|^vitest\.workspace\.(?:[cm]?[jt]s|json)$/;
/** How many test ids a deleted file's finding names before it says how many more. */
const NAMED_TESTS = 10;

/**
 * Rail `test-integrity`: a change may add tests, never weaken them. Test files are compared structurally
 * (Python's `ast` in the sandbox, the TypeScript parser for JS/TS) test by test, ids matched as a multiset:
 * a deleted test file, a removed test, fewer assertions, an exact assertion turned into a truthiness check, a
 * changed expected literal the task text does not name, and a new skip/only/xfail/todo marker (on new tests
 * too) are refused. Files that decide collection are watched whether or not they count as tests:
 * `conftest.py` (ignore lists, collection hooks, skip and exit calls), pytest's settings files, vitest/vite
 * configs and `package.json`'s test script. Every finding is reported as `file:line: test <id>: message`.
 * Fails with `environment` when the Python analysis cannot run in the sandbox.
 */
export async function checkTestIntegrity(options: {
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Whether a workspace-relative path is a test file (stack conventions or the plan's test files). */
  isTest: (path: string) => boolean;
  /** The task as the coder saw it; an expected value it names may change. */
  taskText: string;
  /** Where the Python analysis runs. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root (the analysis' scratch files go under it). */
  workspaceDir: string;
  /** Parsed nightshift.json: bounds the analysis' runs. */
  config: ProjectConfig;
  /** Cancels the analysis (its command ends and the abort reason is thrown). */
  signal?: AbortSignal;
}): Promise<RailResult> {
  const { changes, sandbox, workspaceDir, config } = options;
  const withSignal = options.signal ? { signal: options.signal } : {};
  const tests = changes.filter((change) => options.isTest(change.path) && collectionKind(change.path) === null);
  const conftests = changes.filter((change) => collectionKind(change.path) === 'conftest');
  const side = (list: FileChange[], key: 'before' | 'after') =>
    list.flatMap((change) => (change[key] === null ? [] : [{ path: change.path, content: change[key] as string }]));

  let analyses: [Map<string, TestFileAnalysis>, Map<string, TestFileAnalysis>, Awaited<ReturnType<typeof findCollectionHooks>>, Awaited<ReturnType<typeof findCollectionHooks>>];
  try {
    analyses = await Promise.all([
      analyzeTestFiles({ files: side(tests, 'before'), sandbox, workspaceDir, config, ...withSignal }),
      analyzeTestFiles({ files: side(tests, 'after'), sandbox, workspaceDir, config, ...withSignal }),
      findCollectionHooks({ files: side(conftests, 'before'), sandbox, workspaceDir, config, ...withSignal }),
      findCollectionHooks({ files: side(conftests, 'after'), sandbox, workspaceDir, config, ...withSignal }),
    ]);
  } catch (error) {
    if (!(error instanceof AnalysisToolError)) throw error;
    options.signal?.throwIfAborted();
    return { name: 'test-integrity', passed: false, failureType: 'environment', detail: `${error.message}\n${error.hint}` };
  }
  const [testsBefore, testsAfter, hooksBefore, hooksAfter] = analyses;

  const findings: IntegrityFinding[] = [];
  for (const change of tests) {
    if (change.before === null || change.after !== null) continue;
    const ids = testsBefore.get(change.path)?.tests.map((test) => test.id) ?? [];
    const named = ids.length === 0 ? '' : ` with its tests ${ids.slice(0, NAMED_TESTS).join(', ')}${ids.length > NAMED_TESTS ? ` and ${ids.length - NAMED_TESTS} more` : ''}`;
    findings.push({ file: change.path, line: 1, test: null, message: `the test file is deleted${named}` });
  }
  findings.push(...compareTestAnalyses({ before: [...testsBefore.values()], after: [...testsAfter.values()], taskText: options.taskText }));
  for (const change of changes) {
    const kind = collectionKind(change.path);
    if (kind === 'conftest') findings.push(...conftestFindings(change.path, hooksBefore.get(change.path)?.hooks ?? [], hooksAfter.get(change.path)?.hooks ?? []));
    if (kind === 'pytest') findings.push(...findPytestConfigNarrowing(change));
    if (kind === 'vitest') findings.push(...findVitestConfigNarrowing(change));
    if (kind === 'package') findings.push(...findTestScriptChange(change));
  }

  if (findings.length === 0) return { name: 'test-integrity', passed: true, detail: 'no test is deleted, removed, disabled, deselected or weakened' };
  return {
    name: 'test-integrity',
    passed: false,
    failureType: 'scope',
    file: findings[0]?.file,
    detail: `${findings.map((finding) => `${finding.file}:${finding.line}: ${finding.test === null ? '' : `test ${finding.test}: `}${finding.message}`).join('\n')}\nTests may be added to, never weakened, skipped or deselected.`,
  };
}

/** Which collection-deciding file a path is, or null. */
function collectionKind(path: string): 'conftest' | 'pytest' | 'vitest' | 'package' | null {
  const base = path.split('/').at(-1) ?? '';
  if (base === 'conftest.py') return 'conftest';
  if (PYTEST_CONFIG.has(base)) return 'pytest';
  if (VITEST_CONFIG.test(base)) return 'vitest';
  if (base === 'package.json') return 'package';
  return null;
}

/** Hooks in the new conftest that were not there before (by their normalised source, as a multiset). */
function conftestFindings(path: string, before: Array<{ name: string; text: string }>, after: Array<{ name: string; line: number; text: string }>): IntegrityFinding[] {
  const previous = before.map((hook) => `${hook.name}\u0000${hook.text}`);
  const findings: IntegrityFinding[] = [];
  for (const hook of after) {
    const index = previous.indexOf(`${hook.name}\u0000${hook.text}`);
    if (index !== -1) {
      previous.splice(index, 1);
      continue;
    }
    const text = hook.text.length > 100 ? `${hook.text.slice(0, 97)}...` : hook.text;
    findings.push({ file: path, line: hook.line, test: null, message: `\`${text}\` is added or changed (${hook.name}), which can keep tests from being collected or run` });
  }
  return findings;
}
