import { coderOutputSchema } from '../../../shared/coderOutputSchema.js';
import type { Plan } from '../../../shared/planSchema.js';
import { judgeRedRun } from '../../gates/judgeRedRun.js';
import { runTestsWithReport } from '../../testing/runTestsWithReport.js';
import { writeChanges } from '../../workspace/writeChanges.js';
import { readWorkspaceFiles } from '../readWorkspaceFiles.js';
import { applyCoderEdits } from './applyCoderEdits.js';
import { AttemptFailed } from './AttemptFailed.js';
import { callModel } from './callModel.js';
import { formatPlan } from './formatPlan.js';
import type { PhaseOptions } from './PhaseOptions.js';
import type { PhaseResult } from './PhaseResult.js';
import type { VerifiedRed } from './VerifiedRed.js';

/**
 * RED: the coder writes only the planned test file, which must fail for the reason the plan gives before any
 * code is written. With the rails off the test is taken as written, unrun: only the suite judges it later.
 */
export async function writeFailingTest(options: PhaseOptions & { plan: Plan }): Promise<PhaseResult<VerifiedRed>> {
  const { ctx, taskText, attempt, feedback, plan } = options;
  const output = await callModel({
    ctx,
    role: 'coder',
    promptId: 'coder-red',
    phase: 'red',
    attempt,
    schema: coderOutputSchema,
    values: {
      task: taskText,
      plan: formatPlan(plan),
      testFile: plan.testFile,
      requiredImports: plan.requiredImports.join('\n') || 'none',
      testCommand: ctx.stack.testFileCommand([plan.testFile]),
      relevantFiles: { text: await readWorkspaceFiles({ root: ctx.workspaceDir, paths: [plan.testFile, ...plan.targetFiles] }), trimmable: true, priority: 1 },
      feedback: feedback || 'none',
    },
  });
  const railsOff = ctx.session.rails === 'off';
  const stray = output.edits.filter((edit) => edit.path !== plan.testFile);
  if (stray.length > 0 && !railsOff) {
    throw new AttemptFailed({
      type: 'scope',
      file: stray[0]!.path,
      evidence: `RED edited ${stray.map((edit) => edit.path).join(', ')}`,
      feedback: `RED may only write the planned test file ${plan.testFile}; it also edited ${stray.map((edit) => edit.path).join(', ')}.`,
      keepTest: false,
    });
  }
  const changes = await applyCoderEdits({ ctx, output, keepTest: false });
  if (railsOff) {
    return { value: { changes, testContent: changes.find((change) => change.path === plan.testFile)?.after ?? '' }, detail: 'rails off: the test is not required to fail first' };
  }
  const run = await runTestsWithReport({
    sandbox: ctx.sandbox,
    workspaceDir: ctx.workspaceDir,
    config: ctx.config,
    stack: ctx.stack,
    files: [plan.testFile],
    label: 'red',
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const { result } = run;
  const verdict = judgeRedRun({
    stack: ctx.stack,
    result,
    testFile: plan.testFile,
    report: run.report,
    localPaths: [plan.testFile, ...plan.targetFiles],
    baseline: ctx.baselines.get(ctx.headOid) ?? null,
  });
  if (!verdict.ok) {
    await writeChanges({ root: ctx.workspaceDir, changes, side: 'before' });
    const output = `${result.stdout}\n${result.stderr}`.trim();
    throw new AttemptFailed({
      type: verdict.failureType ?? 'patch',
      file: plan.testFile,
      evidence: verdict.reason,
      feedback: `RED rejected: ${verdict.reason}\n\nTest output:\n${tail(output, 6000)}`,
      keepTest: false,
    });
  }
  const testContent = changes.find((change) => change.path === plan.testFile)?.after ?? '';
  return { value: { changes, testContent }, detail: `fails as required: ${verdict.reason}` };
}

function tail(text: string, max: number): string {
  return text.length > max ? `[... ${text.length - max} chars omitted ...]\n${text.slice(-max)}` : text;
}
