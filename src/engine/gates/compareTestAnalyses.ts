import type { AssertionInfo, TestAnalysis, TestFileAnalysis } from '../analysis/TestFileAnalysis.js';
import type { IntegrityFinding } from './IntegrityFinding.js';

type MarkerKind = TestAnalysis['markers'][number]['kind'];
const MARKER_KINDS: MarkerKind[] = ['skip', 'only', 'xfail', 'todo'];

/**
 * Compares the tests of changed test files before and after a change. Tests are matched by id as a
 * multiset (two same-named tests each need a counterpart), so every removed test is reported; a matched
 * test is reported for fewer assertions, an exact assertion turned into a truthiness check, a changed
 * expected literal (unless the task text names the new one) and a new skip/only/xfail/todo marker; a new
 * test for any marker. Files missing from `after` are deleted files, left to the caller.
 */
export function compareTestAnalyses(options: {
  /** Analyses of the test files as they were (files that did not exist are absent). */
  before: TestFileAnalysis[];
  /** Analyses of the same files after the change (deleted files are absent). */
  after: TestFileAnalysis[];
  /** The task as the coder saw it; an expected value it names may change. */
  taskText: string;
}): IntegrityFinding[] {
  const findings: IntegrityFinding[] = [];
  const afterPaths = new Set(options.after.map((file) => file.path));
  const unreadable = new Set<string>();
  const readableBefore = new Set(options.before.filter((file) => file.parseError === null).map((file) => file.path));
  for (const file of options.after) {
    if (file.parseError !== null && readableBefore.has(file.path)) {
      unreadable.add(file.path);
      findings.push({ file: file.path, line: Number(/^line (\d+)/.exec(file.parseError)?.[1] ?? 1), test: null, message: `the test file no longer parses (${file.parseError}), so none of its tests can run` });
    }
  }
  const compared = (file: TestFileAnalysis) => afterPaths.has(file.path) && !unreadable.has(file.path);
  const beforeTests = groupById(options.before.filter(compared));
  const afterTests = groupById(options.after.filter(compared));

  for (const [id, olds] of beforeTests) {
    const news = afterTests.get(id) ?? [];
    olds.forEach((old, index) => {
      const now = news[index];
      if (now) findings.push(...compareTest(old, now, options.taskText));
      else {
        const remaining = news.length === 0 ? '' : ` (${olds.length} tests had this id, ${news.length} remain)`;
        findings.push({ file: old.path, line: old.test.line, test: id, message: `is removed${remaining}` });
      }
    });
  }
  for (const [id, news] of afterTests) {
    for (const added of news.slice(beforeTests.get(id)?.length ?? 0)) {
      for (const marker of added.test.markers) {
        findings.push({ file: added.path, line: marker.line, test: id, message: `is a new test marked ${marker.kind}` });
      }
    }
  }
  return findings;
}

function groupById(files: TestFileAnalysis[]): Map<string, Array<{ path: string; test: TestAnalysis }>> {
  const groups = new Map<string, Array<{ path: string; test: TestAnalysis }>>();
  for (const file of files) {
    for (const test of file.tests) {
      const group = groups.get(test.id) ?? [];
      group.push({ path: file.path, test });
      groups.set(test.id, group);
    }
  }
  return groups;
}

function compareTest(old: { path: string; test: TestAnalysis }, now: { path: string; test: TestAnalysis }, taskText: string): IntegrityFinding[] {
  const findings: IntegrityFinding[] = [];
  const at = (line: number, message: string): IntegrityFinding => ({ file: now.path, line, test: now.test.id, message });
  for (const kind of MARKER_KINDS) {
    const oldMarkers = old.test.markers.filter((marker) => marker.kind === kind);
    const newMarkers = now.test.markers.filter((marker) => marker.kind === kind);
    if (newMarkers.length > oldMarkers.length) {
      const added = newMarkers.find((marker) => !oldMarkers.some((previous) => previous.line === marker.line)) ?? newMarkers.at(-1);
      findings.push(at(added?.line ?? now.test.line, `gains a ${kind} marker`));
    }
  }
  const before = old.test.assertions;
  const after = now.test.assertions;
  if (after.length < before.length) findings.push(at(now.test.line, `has fewer assertions (${before.length} -> ${after.length})`));

  const removed = without(before, after);
  const added = without(after, before);
  for (const lost of removed.filter((assertion) => assertion.kind === 'exact')) {
    const subject = subjectOf(lost);
    const rewritten = subject === null ? -1 : added.findIndex((candidate) => candidate.kind === 'exact' && candidate.expected !== null && subjectOf(candidate) === subject);
    if (rewritten !== -1) {
      const [replacement] = added.splice(rewritten, 1) as [AssertionInfo];
      const expected = replacement.expected as string;
      if (!namedByTask(expected, taskText)) {
        findings.push(at(replacement.line, `its expected value changes from ${lost.expected} to ${expected} (${quote(lost.text)} -> ${quote(replacement.text)}), and the task does not name ${expected}`));
      }
      continue;
    }
    const loosened = added.findIndex((candidate) => candidate.kind === 'truthiness');
    if (loosened !== -1) {
      const [replacement] = added.splice(loosened, 1) as [AssertionInfo];
      findings.push(at(replacement.line, `the exact assertion ${quote(lost.text)} becomes the truthiness check ${quote(replacement.text)}`));
    }
  }
  return findings;
}

/** Assertions of `from` with no counterpart of the same text in `other` (multiset difference). */
function without(from: AssertionInfo[], other: AssertionInfo[]): AssertionInfo[] {
  const left = new Map<string, number>();
  for (const assertion of other) left.set(normalized(assertion.text), (left.get(normalized(assertion.text)) ?? 0) + 1);
  return from.filter((assertion) => {
    const count = left.get(normalized(assertion.text)) ?? 0;
    if (count === 0) return true;
    left.set(normalized(assertion.text), count - 1);
    return false;
  });
}

/** The assertion with its expected literal blanked out: `assert total == 800` and `== 750` share one. */
function subjectOf(assertion: AssertionInfo): string | null {
  if (assertion.expected === null) return null;
  const text = normalized(assertion.text);
  const literal = normalized(assertion.expected);
  const at = text.lastIndexOf(literal);
  return at === -1 ? null : `${text.slice(0, at)}\u0000${text.slice(at + literal.length)}`;
}

function normalized(text: string): string {
  return text.replace(/\s+/g, '');
}

/** Whether the task text names a literal: its source, a string's content, or a number's value. */
function namedByTask(literal: string, taskText: string): boolean {
  const candidates = [literal.trim()];
  const quoted = /^[rbuf]*(['"`])([\s\S]*)\1$/i.exec(literal.trim());
  if (quoted?.[2]) candidates.push(quoted[2]);
  const number = Number(literal.replace(/_/g, ''));
  if (literal.trim() !== '' && Number.isFinite(number)) candidates.push(String(number));
  const text = taskText.replace(/\s+/g, ' ');
  return candidates.some((candidate) => {
    const pattern = escapeRegExp(candidate.replace(/\s+/g, ' '));
    const start = /^\w/.test(candidate) ? '(?<![\\w.])' : '';
    const end = /\w$/.test(candidate) ? '(?![\\w]|\\.\\d)' : '';
    return new RegExp(`${start}${pattern}${end}`).test(text);
  });
}

function quote(text: string): string {
  return `\`${text.length > 120 ? `${text.slice(0, 117)}...` : text}\``;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
