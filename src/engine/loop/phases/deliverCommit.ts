import type { ModelRole } from '../../../shared/modelRole.js';
import type { Plan } from '../../../shared/planSchema.js';
import type { FileChange } from '../../ports/Vcs.js';
import type { PhaseResult } from './PhaseResult.js';
import type { TaskContext } from './TaskContext.js';

/** DELIVER: commits the change on the task's starting commit and moves the delivery branch to it, if nobody else moved it. */
export async function deliverCommit(options: {
  ctx: TaskContext;
  plan: Plan;
  changes: FileChange[];
  /** Attempts the task took, this one included. */
  attempts: number;
}): Promise<PhaseResult<string>> {
  const { ctx, plan, changes, attempts } = options;
  const task = ctx.taskRun.spec;
  const describe = (role: ModelRole) => {
    const { model, backend } = ctx.models.describe(role);
    return `${role}=${model} (${backend})`;
  };
  const message = [
    `nightshift: ${task.id} ${task.title}`,
    '',
    plan.restatement,
    '',
    `Nightshift-Task: ${task.id}`,
    `Nightshift-Session: ${ctx.session.id}`,
    `Nightshift-Run: ${ctx.taskRun.id}`,
    `Nightshift-Attempts: ${attempts}`,
    `Nightshift-Tests: ${plan.testFile}`,
    `Nightshift-Models: ${describe('brain')}, ${describe('coder')}, ${describe('qa')}`,
    `Nightshift-Sandbox: ${ctx.sandbox.kind}${ctx.sandbox.isolated ? '' : ' (UNSANDBOXED)'}`,
    '',
  ].join('\n');
  const commit = await ctx.vcs.commit({
    repoDir: ctx.repoRoot,
    parentOid: ctx.headOid,
    changes,
    message,
    author: { name: 'Nightshift', email: 'nightshift@localhost', timestamp: Math.floor(ctx.clock.now() / 1000) },
  });
  await ctx.vcs.updateBranch({ repoDir: ctx.repoRoot, branch: ctx.session.branch, oid: commit, expectedOid: ctx.expectedBranchOid });
  ctx.store.updateSession(ctx.session.id, { headCommit: commit });
  return { value: commit, detail: `${ctx.session.branch} -> ${commit.slice(0, 12)}` };
}
