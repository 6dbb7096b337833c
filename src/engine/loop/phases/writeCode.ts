import { coderOutputSchema } from '../../../shared/coderOutputSchema.js';
import type { Plan } from '../../../shared/planSchema.js';
import type { RailResult } from '../../../shared/railResultSchema.js';
import type { FileChange } from '../../ports/Vcs.js';
import { readWorkspaceFiles } from '../readWorkspaceFiles.js';
import { applyCoderEdits } from './applyCoderEdits.js';
import { AttemptFailed } from './AttemptFailed.js';
import { callModel } from './callModel.js';
import { formatPlan } from './formatPlan.js';
import type { PhaseOptions } from './PhaseOptions.js';
import type { PhaseResult } from './PhaseResult.js';

/** GREEN: the coder changes code, never tests, to make the verified failing test pass. */
export async function writeCode(
  options: PhaseOptions & {
    plan: Plan;
    /** The verified failing test's content. */
    testContent: string;
  },
): Promise<PhaseResult<FileChange[]>> {
  const { ctx, taskText, attempt, feedback, plan, testContent } = options;
  const output = await callModel({
    ctx,
    role: 'coder',
    promptId: 'coder-green',
    phase: 'green',
    attempt,
    schema: coderOutputSchema,
    values: {
      task: taskText,
      plan: formatPlan(plan),
      requiredImports: plan.requiredImports.join('\n') || 'none',
      testFile: plan.testFile,
      testContent,
      testCommand: ctx.stack.testFileCommand([plan.testFile]),
      relevantFiles: { text: await readWorkspaceFiles({ root: ctx.workspaceDir, paths: plan.targetFiles }), trimmable: true, priority: 1 },
      feedback: { text: feedback || 'none', trimmable: true, priority: 2 },
    },
  });
  const touchedTests = output.edits.filter((edit) => edit.path === plan.testFile || ctx.stack.isTestFile(edit.path));
  if (touchedTests.length > 0 && ctx.session.rails !== 'off') {
    const rail: RailResult = {
      name: 'test-integrity',
      passed: false,
      detail: `GREEN may not change tests; it edited ${touchedTests.map((edit) => edit.path).join(', ')}.`,
      failureType: 'scope',
      file: touchedTests[0]!.path,
    };
    throw new AttemptFailed({ type: 'scope', file: rail.file ?? '', evidence: rail.detail, feedback: rail.detail, keepTest: true, rail });
  }
  const changes = await applyCoderEdits({ ctx, output, keepTest: true });
  return { value: changes, detail: `${changes.length} file(s): ${changes.map((change) => change.path).join(', ')}` };
}
