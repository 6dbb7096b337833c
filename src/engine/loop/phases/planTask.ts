import { planSchema, type Plan } from '../../../shared/planSchema.js';
import { resolveWorkspacePath } from '../../workspace/resolveWorkspacePath.js';
import { listWorkspaceFiles } from '../listWorkspaceFiles.js';
import { readWorkspaceFiles } from '../readWorkspaceFiles.js';
import { AttemptFailed } from './AttemptFailed.js';
import { callModel } from './callModel.js';
import { describeError } from './describeError.js';
import type { PhaseOptions } from './PhaseOptions.js';
import type { PhaseResult } from './PhaseResult.js';

/** PLAN: the brain names the test file and target files; a plan outside the workspace, the stack's test files or the task's files fails the attempt. */
export async function planTask(options: PhaseOptions): Promise<PhaseResult<Plan>> {
  const { ctx, taskText, attempt, feedback } = options;
  const files = await listWorkspaceFiles({ root: ctx.workspaceDir });
  const targets = ctx.taskRun.spec.targetFiles;
  const plan = await callModel({
    ctx,
    role: 'brain',
    promptId: 'brain-plan',
    phase: 'plan',
    attempt,
    schema: planSchema,
    values: {
      task: taskText,
      testCommand: ctx.stack.testCommand,
      stack: ctx.stack.name,
      repoFiles: { text: files.join('\n'), trimmable: true, priority: 1 },
      relevantFiles: { text: await readWorkspaceFiles({ root: ctx.workspaceDir, paths: targets }), trimmable: true, priority: 2 },
      feedback: feedback || 'none',
    },
  });
  const problems: string[] = [];
  for (const path of [plan.testFile, ...plan.targetFiles]) {
    try {
      resolveWorkspacePath({ root: ctx.workspaceDir, path });
    } catch (error) {
      problems.push(describeError(error));
    }
  }
  if (!ctx.stack.isTestFile(plan.testFile)) problems.push(`testFile "${plan.testFile}" is not a test file for ${ctx.stack.name}`);
  if (plan.targetFiles.includes(plan.testFile)) problems.push('targetFiles must not include the test file');
  if (plan.targetFiles.some((path) => ctx.stack.isTestFile(path))) problems.push('targetFiles must not include test files');
  if (targets.length > 0) {
    const outside = plan.targetFiles.filter((path) => !targets.includes(path));
    if (outside.length > 0) problems.push(`the task limits files to ${targets.join(', ')}; the plan adds ${outside.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new AttemptFailed({
      type: 'localization',
      file: plan.testFile,
      evidence: problems.join('\n'),
      feedback: `The plan was rejected:\n- ${problems.join('\n- ')}`,
      keepTest: false,
    });
  }
  return { value: plan, detail: `test ${plan.testFile}; targets ${plan.targetFiles.join(', ')}` };
}
