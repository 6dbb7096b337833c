import { XMLParser } from 'fast-xml-parser';
import type { TestCaseResult, TestReport } from '../../shared/testReportSchema.js';
import { firstLines } from './firstLines.js';
import { toWorkspacePath } from './toWorkspacePath.js';

interface JunitCase {
  '@_classname'?: string;
  '@_name'?: string;
  '@_file'?: string;
  failure?: JunitProblem | JunitProblem[];
  error?: JunitProblem | JunitProblem[];
  skipped?: JunitProblem | JunitProblem[];
}
type JunitProblem = string | { '@_message'?: string; '#text'?: string };

/**
 * Reads pytest's JUnit XML (`--junitxml`, family xunit1 so each case names its file). A case whose class
 * name is empty and that carries an error is pytest's record of a module it could not collect. Test ids are
 * `file::Class::name`: the class chain is the class name with the module's dotted path removed.
 */
export function parseJunitReport(options: {
  /** The XML text. */
  xml: string;
  /** Absolute path of the workspace root, to make reported paths workspace-relative. */
  workspaceDir: string;
}): TestReport {
  // htmlEntities: pytest writes newlines in messages as `&#10;`.
  const parser = new XMLParser({ ignoreAttributes: false, htmlEntities: true, isArray: (name) => name === 'testsuite' || name === 'testcase' });
  const document = parser.parse(options.xml) as { testsuites?: { testsuite?: Array<{ testcase?: JunitCase[] }> }; testsuite?: Array<{ testcase?: JunitCase[] }> };
  const suites = document.testsuites?.testsuite ?? document.testsuite ?? [];
  const report: TestReport = { runner: 'pytest', tests: [], loadErrors: [], emptyFiles: [] };
  for (const suite of suites) {
    for (const testCase of suite.testcase ?? []) {
      const className = testCase['@_classname'] ?? '';
      const name = testCase['@_name'] ?? '';
      const error = first(testCase.error);
      const failure = first(testCase.failure);
      const skipped = first(testCase.skipped);
      const file = testCase['@_file'] ? toWorkspacePath({ reported: testCase['@_file'], workspaceDir: options.workspaceDir }) : moduleFile(className || name);
      if (className === '' && error !== undefined) {
        report.loadErrors.push({ file, message: firstLines(problemText(error)) });
        continue;
      }
      const modulePath = file.replace(/\.py$/, '').replace(/\//g, '.');
      const chain = className === modulePath ? [] : className.startsWith(`${modulePath}.`) ? className.slice(modulePath.length + 1).split('.') : className === '' ? [] : [className];
      const result: TestCaseResult = { id: [file, ...chain, name].join('::'), file, outcome: 'passed' };
      if (error !== undefined) Object.assign(result, { outcome: 'errored', message: firstLines(problemText(error)) });
      else if (failure !== undefined) Object.assign(result, { outcome: 'failed', message: firstLines(problemText(failure)) });
      else if (skipped !== undefined) Object.assign(result, { outcome: 'skipped', message: firstLines(problemText(skipped)) });
      report.tests.push(result);
    }
  }
  return report;
}

function first(value: JunitProblem | JunitProblem[] | undefined): JunitProblem | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** pytest puts the short reason in `message` and the long report in the text; the text says more. */
function problemText(problem: JunitProblem): string {
  if (typeof problem === 'string') return problem;
  const text = problem['#text'] ?? '';
  const message = problem['@_message'] ?? '';
  return text.includes(message) ? text || message : `${message}\n${text}`.trim();
}

/** `tests.test_a` -> `tests/test_a.py`, for reports without a `file` attribute. */
function moduleFile(dotted: string): string {
  return `${dotted.replace(/\./g, '/')}.py`;
}
