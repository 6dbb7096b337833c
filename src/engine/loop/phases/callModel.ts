import type { z } from 'zod';
import type { ModelRole } from '../../../shared/modelRole.js';
import type { PhaseName } from '../../../shared/phaseName.js';
import { ModelOutputError } from '../../../shared/model/ModelOutputError.js';
import { AttemptFailed } from './AttemptFailed.js';
import { describeError } from './describeError.js';
import type { TaskContext } from './TaskContext.js';

/** Token budgets per prompt, sized for the smallest supported context windows. */
const BUDGET_TOKENS: Record<ModelRole, number> = { brain: 6_000, coder: 12_000, qa: 8_000 };
/**
 * Output caps per role. A plan or a verdict is a few hundred tokens; a model that never closes its JSON would
 * otherwise run to the end of its context on every call (minutes each on a large context). The coder's
 * answers carry whole files, so it keeps the room its context leaves.
 */
const OUTPUT_TOKENS: Partial<Record<ModelRole, number>> = { brain: 2_048, qa: 2_048 };

/**
 * One structured model call for a phase: renders the prompt within the role's token budget, records the
 * call (tokens, durations, or the error), and turns output that fails the schema into a failed attempt.
 */
export async function callModel<T>(
  options: {
    ctx: TaskContext;
    /** Which model answers. */
    role: ModelRole;
    promptId: string;
    phase: PhaseName;
    attempt: number;
    schema: z.ZodType<T>;
    values: Record<string, string | { text: string; trimmable: true; priority: number }>;
  },
): Promise<T> {
  const { ctx } = options;
  const prompt = await ctx.prompts.render({
    id: options.promptId,
    values: options.values,
    schema: options.schema,
    budgetTokens: BUDGET_TOKENS[options.role],
  });
  const attemptRecord = ctx.store.listAttempts(ctx.taskRun.id).find((record) => record.number === options.attempt);
  const { model, backend } = ctx.models.describe(options.role);
  const started = ctx.clock.now();
  try {
    const result = await ctx.models.generate({
      role: options.role,
      promptId: prompt.promptId,
      system: prompt.system,
      user: prompt.user,
      schema: options.schema,
      meta: { taskId: ctx.taskRun.spec.id, phase: options.phase, attempt: options.attempt },
      ...(OUTPUT_TOKENS[options.role] === undefined ? {} : { maxTokens: OUTPUT_TOKENS[options.role] }),
      onToken: (text) => ctx.emit({ type: 'model/token', at: ctx.clock.now(), taskRunId: ctx.taskRun.id, role: options.role, text }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    ctx.store.recordModelCall({
      attemptId: attemptRecord?.id ?? null,
      taskRunId: ctx.taskRun.id,
      role: options.role,
      promptId: prompt.promptId,
      model: result.model,
      backend: result.backend,
      promptTokens: result.usage.promptTokens,
      outputTokens: result.usage.outputTokens,
      durationMs: result.usage.durationMs,
      timeToFirstTokenMs: result.usage.timeToFirstTokenMs,
      error: null,
      at: started,
    });
    return result.value;
  } catch (error) {
    // Output the schema refused still cost its tokens and time: the backend measured them.
    const usage = error instanceof ModelOutputError ? error.usage : null;
    ctx.store.recordModelCall({
      attemptId: attemptRecord?.id ?? null,
      taskRunId: ctx.taskRun.id,
      role: options.role,
      promptId: prompt.promptId,
      model,
      backend,
      promptTokens: usage?.promptTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      durationMs: usage?.durationMs ?? ctx.clock.now() - started,
      timeToFirstTokenMs: usage?.timeToFirstTokenMs ?? null,
      error: describeError(error).slice(0, 2000),
      at: started,
    });
    if (error instanceof ModelOutputError) {
      throw new AttemptFailed({
        type: 'patch',
        file: '',
        evidence: `${options.promptId}: ${String(error.context.issues ?? error.message)}`,
        feedback: `Your ${options.phase} output was rejected before touching disk: ${error.message}. Reply with JSON matching the schema only.`,
        keepTest: options.phase !== 'red',
      });
    }
    throw error;
  }
}
