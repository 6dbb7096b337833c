import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { loadScriptedModels } from '../../../src/runtime/scripted/loadScriptedModels.js';
import { createModelClientFromBackend } from '../../../src/shared/model/createModelClientFromBackend.js';
import { ScriptInvalidError } from '../../../src/runtime/scripted/ScriptInvalidError.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

async function loadError(path: string): Promise<ScriptInvalidError> {
  const error: unknown = await loadScriptedModels({ path }).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ScriptInvalidError);
  return error as ScriptInvalidError;
}

describe('loadScriptedModels', () => {
  it('loads a valid script file into a working client', async () => {
    const path = join(makeTempDir(), 'script.json');
    writeFileSync(path, JSON.stringify({ models: { brain: 'planner-x' }, tasks: { 'add-divide': { plan: [{ ok: true }] } } }));
    const models = createModelClientFromBackend({ backend: await loadScriptedModels({ path }) });
    const result = await models.generate({
      role: 'brain',
      promptId: 'brain-plan@1',
      system: 's',
      user: 'u',
      schema: z.object({ ok: z.boolean() }),
      meta: { taskId: 'add-divide', phase: 'plan', attempt: 1 },
    });
    expect(result).toMatchObject({ value: { ok: true }, model: 'planner-x', backend: 'scripted' });
  });

  it('loads per-attempt answers and answers attempt 2 from its own entry', async () => {
    const path = join(makeTempDir(), 'script.json');
    writeFileSync(path, JSON.stringify({ tasks: { T1: { attempts: [{ green: [{ ok: false }] }, { green: [{ ok: true }] }] } } }));
    const models = createModelClientFromBackend({ backend: await loadScriptedModels({ path }) });
    const green = (attempt: number) =>
      models.generate({ role: 'coder', promptId: 'coder-green@1', system: 's', user: 'u', schema: z.object({ ok: z.boolean() }), meta: { taskId: 'T1', phase: 'green', attempt } });
    expect((await green(1)).value).toEqual({ ok: false });
    expect((await green(2)).value).toEqual({ ok: true });
  });

  it("paces streaming by the script's delayMs, which an explicit option overrides", async () => {
    const path = join(makeTempDir(), 'paced.json');
    writeFileSync(path, JSON.stringify({ delayMs: 60, tasks: { T1: { plan: [{ ok: true }] } } }));
    const call = async (delayMs?: number) => {
      const models = createModelClientFromBackend({ backend: await loadScriptedModels({ path, ...(delayMs === undefined ? {} : { delayMs }) }) });
      const started = performance.now();
      const chunks: string[] = [];
      await models.generate({
        role: 'brain',
        promptId: 'brain-plan@1',
        system: 's',
        user: 'u',
        schema: z.object({ ok: z.boolean() }),
        meta: { taskId: 'T1', phase: 'plan', attempt: 1 },
        onToken: (text) => chunks.push(text),
      });
      return { elapsed: performance.now() - started, chunks: chunks.length };
    };
    const paced = await call();
    expect(paced.chunks).toBeGreaterThan(1);
    // A lower bound only: each chunk waits at least its pause, however slow the machine.
    expect(paced.elapsed).toBeGreaterThanOrEqual(paced.chunks * 60 - 5);
    const unpaced = await call(0);
    expect(unpaced.elapsed).toBeLessThan(paced.chunks * 60 - 5);
  });

  it('names the file and every JSON path that does not fit the schema', async () => {
    const path = join(makeTempDir(), 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({ models: { brain: '' }, tasks: { T1: { green: [], gates: [{}] }, 'odd id': { red: 'x' }, T2: { attempts: [{ green: [], gates: [] }] }, T3: { attempts: [] } }, extra: 1 }),
    );
    const error = await loadError(path);
    expect(error.message.startsWith(`Invalid model script ${path}: `)).toBe(true);
    for (const fragment of ['$.models.brain', '$.tasks.T1.green', '$.tasks.T1: ', '"gates"', '$.tasks["odd id"].red', '$.tasks.T2.attempts[0].green', '$.tasks.T2.attempts[0]: ', '$.tasks.T3.attempts', '"extra"']) {
      expect(error.message).toContain(fragment);
    }
    expect(error.code).toBe('SCRIPT_INVALID');
  });

  it('reports unreadable files and invalid JSON', async () => {
    const dir = makeTempDir();
    expect((await loadError(join(dir, 'missing.json'))).message).toMatch(/missing\.json: cannot read it \(ENOENT\)/);
    writeFileSync(join(dir, 'broken.json'), '{ "tasks": ');
    expect((await loadError(join(dir, 'broken.json'))).message).toMatch(/broken\.json: not valid JSON/);
  });
});
