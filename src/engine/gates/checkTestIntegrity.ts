import type { RailResult } from '../../shared/railResultSchema.js';
import type { FileChange } from '../ports/Vcs.js';

/** Markers that disable or narrow tests; adding any of them weakens the suite. */
const DISABLING_MARKERS: ReadonlyArray<{ label: string; pattern: RegExp }> = [
  { label: '@pytest.mark.skip', pattern: /@pytest\.mark\.skip(?:if)?\b/g },
  { label: 'pytest.skip(', pattern: /\bpytest\.skip\s*\(/g },
  { label: '@unittest.skip', pattern: /@unittest\.skip\w*/g },
  { label: 'xfail', pattern: /\bxfail\b/g },
  { label: '.skip', pattern: /\b(?:it|test|describe|suite|context|t)\.skip(?:If)?\b/g },
  { label: '.only(', pattern: /\.only\s*\(/g },
  { label: '.todo(', pattern: /\.todo\s*\(/g },
  { label: 'xit(', pattern: /\bxit\s*\(/g },
  { label: 'xdescribe(', pattern: /\bxdescribe\s*\(/g },
  { label: 'xtest(', pattern: /\bxtest\s*\(/g },
  { label: '{ skip/only/todo: true }', pattern: /\b(?:skip|only|todo)\s*:\s*(?:true|['"`])/g },
];
/** Assertion forms counted per file: Python `assert`, unittest `assertX`, node:assert, `expect(`. */
const ASSERTION = /\bassert(?:[A-Z]\w*)?\b|\bexpect\s*\(/g;

/**
 * Rail `test-integrity`: a change must not weaken tests. Fails when a test file is deleted, a test function
 * or case disappears (Python `def test_*`, JS `it(`/`test(` titles), a skip/only/todo/xfail marker is added,
 * or a test file ends up with fewer assertions than before.
 */
export function checkTestIntegrity(options: {
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Whether a workspace-relative path is a test file (stack conventions or the plan's test files). */
  isTest: (path: string) => boolean;
}): RailResult {
  const findings: Array<{ file: string; message: string }> = [];
  for (const change of options.changes) {
    if (!options.isTest(change.path)) continue;
    const { before, after } = change;
    if (after === null) {
      if (before !== null) findings.push({ file: change.path, message: 'the test file is deleted' });
      continue;
    }
    if (before !== null) {
      const remaining = new Set(testNames(after));
      for (const name of new Set(testNames(before))) {
        if (!remaining.has(name)) findings.push({ file: change.path, message: `test ${JSON.stringify(name)} is removed` });
      }
      const assertionsBefore = count(withoutImports(before), ASSERTION);
      const assertionsAfter = count(withoutImports(after), ASSERTION);
      if (assertionsAfter < assertionsBefore) {
        findings.push({ file: change.path, message: `assertions drop from ${assertionsBefore} to ${assertionsAfter}` });
      }
    }
    for (const marker of DISABLING_MARKERS) {
      const added = count(after, marker.pattern) - (before === null ? 0 : count(before, marker.pattern));
      if (added > 0) findings.push({ file: change.path, message: `${marker.label} is added (${added}x)` });
    }
  }
  if (findings.length === 0) return { name: 'test-integrity', passed: true, detail: 'no test is deleted, removed, disabled or weakened' };
  return {
    name: 'test-integrity',
    passed: false,
    failureType: 'scope',
    file: findings[0]?.file,
    detail: `${findings.map((finding) => `${finding.file}: ${finding.message}`).join('\n')}\nTests may be added to, never weakened.`,
  };
}

function testNames(content: string): string[] {
  const names: string[] = [];
  for (const match of content.matchAll(/^\s*(?:async\s+)?def\s+(test\w*)\s*\(/gm)) names.push(match[1] as string);
  for (const match of content.matchAll(/\b(?:it|test)(?:\.\w+)?\s*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) names.push(match[2] as string);
  return names;
}

/** Import lines name `assert` without asserting anything. */
function withoutImports(content: string): string {
  return content.replace(/^\s*(?:import\b|from\s+\S+\s+import\b|(?:const|let|var)\s+.*=\s*require\().*$/gm, '');
}

function count(content: string, pattern: RegExp): number {
  return [...content.matchAll(pattern)].length;
}
