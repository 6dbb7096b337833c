import type { TestReport } from '../../../shared/testReportSchema.js';
import { runTestsWithReport } from '../../testing/runTestsWithReport.js';
import type { TaskContext } from './TaskContext.js';
import { throwIfAborted } from './throwIfAborted.js';

/** The suite's report at the task's starting commit: from the session's cache, or run once now. */
export async function ensureBaseline(options: { ctx: TaskContext }): Promise<TestReport | null> {
  const { ctx } = options;
  if (ctx.baselines.has(ctx.headOid)) return ctx.baselines.get(ctx.headOid) ?? null;
  const run = await runTestsWithReport({
    sandbox: ctx.sandbox,
    workspaceDir: ctx.workspaceDir,
    config: ctx.config,
    stack: ctx.stack,
    label: 'baseline',
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  throwIfAborted(ctx.signal);
  ctx.baselines.set(ctx.headOid, run.report);
  return run.report;
}
