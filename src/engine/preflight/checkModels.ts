import { z } from 'zod';
import type { ModelRole } from '../../shared/modelRole.js';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { PhaseName } from '../../shared/phaseName.js';
import { ModelOutputError } from '../../shared/model/ModelOutputError.js';
import type { ModelClient } from '../../shared/model/ModelClient.js';
import { MODEL_PROBE } from '../../shared/model/MODEL_PROBE.js';
import type { PreflightCheck } from './PreflightCheck.js';

/** A local model's first call loads its weights, which can take minutes on a CPU. */
const DEFAULT_TIMEOUT_MS = 300_000;
const ROLES: ModelRole[] = ['brain', 'coder', 'qa'];
/** The loop phase each role works in, sent as the probe's meta (backends and hosts validate it). */
const PHASE: Record<ModelRole, PhaseName> = { brain: 'plan', coder: 'green', qa: 'review' };
const probeSchema = z.object({ ready: z.boolean() }).strict();

/**
 * Each role answers one tiny schema-constrained call within a timeout. No answer (refused connection,
 * server error, crashed model process, timeout) fails the check; an answer that misses the schema is a
 * warning: the model is there, but its answers may waste attempts.
 */
export async function checkModels(options: {
  models: ModelClient;
  /** Roles to probe. Default: brain, coder and qa. */
  roles?: ModelRole[];
  /** Limit per call in milliseconds. Default 300000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  for (const role of options.roles ?? ROLES) {
    const { model, backend } = options.models.describe(role);
    const base = { id: `model:${role}`, title: `${role} model answers`, component: 'model' as const };
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      await options.models.generate({
        role,
        promptId: MODEL_PROBE.promptId,
        system: 'You are a health check. Reply with JSON only.',
        user: `Reply with exactly ${JSON.stringify(MODEL_PROBE.answer)}.`,
        schema: probeSchema,
        meta: { taskId: MODEL_PROBE.taskId, phase: PHASE[role], attempt: 1 },
        temperature: 0,
        maxTokens: 64,
        signal,
      });
      checks.push({ ...base, status: 'ok', detail: `${model} (${backend}) answered`, fix: '' });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (error instanceof ModelOutputError) {
        checks.push({
          ...base,
          status: 'warning',
          detail: `${model} (${backend}) answered, but not with JSON matching the schema: ${firstLine(error.message)}`,
          fix: 'Expect refused attempts; a larger model or profile follows schemas more reliably.',
        });
        continue;
      }
      const message = timeout.aborted ? `did not answer within ${Math.round(timeoutMs / 1000)} s` : describe(error);
      checks.push({
        ...base,
        status: 'failed',
        detail: `${model} (${backend}) ${timeout.aborted ? message : `failed: ${message}`}`,
        fix:
          error instanceof NightshiftError && !timeout.aborted
            ? error.hint
            : 'Start the model server or pick a model this machine can run (--models, --profile), then try again.',
      });
    }
  }
  return checks;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
