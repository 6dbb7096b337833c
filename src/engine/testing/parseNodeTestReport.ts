import { z } from 'zod';
import type { TestOutcome, TestReport } from '../../shared/testReportSchema.js';
import { firstLines } from './firstLines.js';
import { toWorkspacePath } from './toWorkspacePath.js';

const lineSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('test'),
    passed: z.boolean(),
    name: z.string(),
    nesting: z.number().int().nonnegative(),
    file: z.string().nullable(),
    suite: z.boolean(),
    skip: z.boolean(),
    todo: z.boolean(),
    failureType: z.string().nullable(),
    error: z.string().nullable(),
  }),
  z.object({ kind: z.literal('output'), file: z.string().nullable(), message: z.string() }),
]);
type TestLine = Extract<z.infer<typeof lineSchema>, { kind: 'test' }>;
interface Node extends TestLine {
  children: Node[];
}

/**
 * Reads the JSON lines of Nightshift's reporter for node's test runner (resources/testing/nodeTestReporter.mjs).
 * Node reports a test after its subtests, with a nesting depth, so parents are assembled from the entries
 * one level deeper that came before them. Only leaves are tests; describe blocks and parent tests form the id
 * chain `file::describe::...::name`. A top-level entry named by its own file with no subtests is a test file
 * that did not run its tests: failed, it could not load (its stderr says why); passed, it ran none.
 */
export function parseNodeTestReport(options: {
  /** The reporter's output. */
  text: string;
  /** Absolute path of the workspace root, to make reported paths workspace-relative. */
  workspaceDir: string;
}): TestReport {
  const pending = new Map<number, Node[]>();
  const output = new Map<string, string[]>();
  for (const raw of options.text.split('\n')) {
    if (raw.trim() === '') continue;
    const line = lineSchema.parse(JSON.parse(raw));
    if (line.kind === 'output') {
      const key = line.file ?? '';
      output.set(key, [...(output.get(key) ?? []), line.message]);
      continue;
    }
    const node: Node = { ...line, children: pending.get(line.nesting + 1) ?? [] };
    pending.set(line.nesting + 1, []);
    pending.set(line.nesting, [...(pending.get(line.nesting) ?? []), node]);
  }

  const report: TestReport = { runner: 'node-test', tests: [], loadErrors: [], emptyFiles: [] };
  const relative = (file: string | null) => (file ? toWorkspacePath({ reported: file, workspaceDir: options.workspaceDir }) : '');
  const visit = (node: Node, chain: string[]): void => {
    const file = relative(node.file);
    if (node.children.length > 0) {
      for (const child of node.children) visit(child, [...chain, node.name]);
      if (!node.passed && node.failureType !== 'subtestsFailed') {
        report.tests.push({ id: [file, ...chain, node.name].join('::'), file, outcome: 'errored', message: firstLines(node.error ?? 'the block failed') });
      }
      return;
    }
    const outcome: TestOutcome =
      node.skip || node.todo ? 'skipped' : node.passed ? 'passed' : /^(?:hookFailed|cancelledByParent)$/.test(node.failureType ?? '') ? 'errored' : 'failed';
    report.tests.push({
      id: [file, ...chain, node.name].join('::'),
      file,
      outcome,
      ...(node.passed || node.error === null ? {} : { message: firstLines(node.error) }),
    });
  };
  for (const root of pending.get(0) ?? []) {
    if (root.file !== null && root.name === root.file && root.children.length === 0) {
      if (!root.passed) {
        const stderr = (output.get(root.file) ?? []).join('\n').trim();
        report.loadErrors.push({ file: relative(root.file), message: firstLines(stderr || root.error || 'the test file failed') });
      } else {
        report.emptyFiles.push(relative(root.file));
      }
      continue;
    }
    visit(root, []);
  }
  return report;
}
