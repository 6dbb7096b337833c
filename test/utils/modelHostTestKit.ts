import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelRequest } from '../../src/shared/model/ModelRequest.js';
import type { JsonGenerateRequest } from '../../src/shared/model/JsonGenerateRequest.js';
import type { ScriptedScript } from '../../src/runtime/scripted/scriptedScriptSchema.js';
import type { BackendSpec } from '../../src/shared/modelHostProtocol.js';
import type { PhaseName } from '../../src/shared/phaseName.js';
import { makeTempDir } from './makeTempDir.js';

export const answerSchema = z.object({ n: z.number().int() });

/** A script answering green for T1..T3 and plan/review for T1, with a named coder model. */
export const SCRIPT: ScriptedScript = {
  models: { coder: 'scripted-coder-7b' },
  tasks: {
    T1: { plan: [{ n: 100 }], green: [{ n: 1 }, { n: 2 }], red: [{ raw: 'this is not JSON' }], review: [{ n: 300 }] },
    T2: { green: [{ n: 20 }] },
    T3: { green: [{ n: 30 }] },
  },
};

/** Writes SCRIPT to a temp file and returns the scripted spec for it. */
export function scriptedSpec(options: { delayMs?: number } = {}): BackendSpec {
  const scriptPath = join(makeTempDir('nightshift-host-'), 'script.json');
  writeFileSync(scriptPath, JSON.stringify(SCRIPT));
  return { kind: 'scripted', scriptPath, ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }) };
}

const ROLE_OF: Record<string, 'brain' | 'coder' | 'qa'> = { plan: 'brain', red: 'coder', green: 'coder', review: 'qa' };

export function modelRequest(phase: PhaseName, taskId = 'T1', extra: Partial<ModelRequest<z.infer<typeof answerSchema>>> = {}): ModelRequest<z.infer<typeof answerSchema>> {
  return { role: ROLE_OF[phase] ?? 'coder', promptId: `${phase}@1`, system: 'system prompt', user: 'user prompt', schema: answerSchema, meta: { taskId, phase, attempt: 1 }, ...extra };
}

export function jsonRequest(phase: PhaseName, taskId = 'T1'): JsonGenerateRequest {
  return {
    role: ROLE_OF[phase] ?? 'coder',
    promptId: `${phase}@1`,
    system: 'system prompt',
    user: 'user prompt',
    jsonSchema: z.toJSONSchema(answerSchema) as Record<string, unknown>,
    meta: { taskId, phase, attempt: 1 },
  };
}

/** Whether a process with this id exists (signal 0 probes without signalling). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Polls until `check` is true, failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}
