import { describe, expect, it } from 'vitest';
import { createResidencyManager } from '../../../../src/runtime/placement/createResidencyManager.js';
import { ModelCannotFitError } from '../../../../src/runtime/placement/ModelCannotFitError.js';
import { ResidencyError } from '../../../../src/runtime/placement/ResidencyError.js';

/** A manager over a fake loader that logs every load and unload. */
function setup(options: {
  budgetBytes: number;
  models: Record<string, { estimatedBytes: number; pinned?: boolean }>;
  measure?: (modelId: string) => number;
  failLoading?: Set<string>;
}) {
  const log: string[] = [];
  const manager = createResidencyManager({
    budgetBytes: options.budgetBytes,
    models: options.models,
    load: async (modelId) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (options.failLoading?.has(modelId)) throw new Error(`cannot load ${modelId}`);
      log.push(`load ${modelId}`);
    },
    unload: async (modelId) => {
      log.push(`unload ${modelId}`);
    },
    ...(options.measure ? { measure: options.measure } : {}),
  });
  const use = async (modelId: string) => (await manager.acquire(modelId)).release();
  return { manager, log, use };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('createResidencyManager', () => {
  it('evicts the least recently used unpinned model to make room', async () => {
    const { manager, log, use } = setup({ budgetBytes: 10, models: { a: { estimatedBytes: 4 }, b: { estimatedBytes: 4 }, c: { estimatedBytes: 4 } } });
    await use('a');
    await use('b');
    await use('a');
    await use('c');
    expect(log).toEqual(['load a', 'load b', 'unload b', 'load c']);
    expect(manager.resident()).toEqual(['a', 'c']);
    expect(manager.usedBytes()).toBe(8);
    expect(manager.stats()).toMatchObject({ loads: 3, unloads: 1, evictions: 1, failedLoads: 0, byModel: { a: { loads: 1, unloads: 0 }, b: { loads: 1, unloads: 1 }, c: { loads: 1, unloads: 0 } } });
  });

  it('never evicts a pinned model', async () => {
    const { manager, log, use } = setup({ budgetBytes: 10, models: { pinned: { estimatedBytes: 5, pinned: true }, x: { estimatedBytes: 4 }, y: { estimatedBytes: 4 } } });
    await use('pinned');
    await use('x');
    await use('y');
    await use('x');
    expect(log).toEqual(['load pinned', 'load x', 'unload x', 'load y', 'unload y', 'load x']);
    expect(manager.resident()).toContain('pinned');
  });

  it('refuses up front, without evicting anything, a model that cannot fit even with every unpinned model gone', async () => {
    const { manager, log, use } = setup({
      budgetBytes: 10,
      models: { pinned: { estimatedBytes: 6, pinned: true }, small: { estimatedBytes: 3 }, medium: { estimatedBytes: 5 }, huge: { estimatedBytes: 11 } },
    });
    await use('pinned');
    await use('small');
    const before = [...log];
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await rejection(manager.acquire('medium'));
      expect(error).toBeInstanceOf(ModelCannotFitError);
      expect((error as ModelCannotFitError).code).toBe('MODEL_CANNOT_FIT');
      expect((error as ModelCannotFitError).message).toMatch(/pinned: pinned/);
    }
    expect(await rejection(manager.acquire('huge'))).toBeInstanceOf(ModelCannotFitError);
    expect(log).toEqual(before);
    expect(manager.resident()).toEqual(['pinned', 'small']);
    expect(manager.stats()).toMatchObject({ loads: 2, unloads: 0 });
  });

  it('counts exactly one load and one unload per swap when two models take turns', async () => {
    const { manager, use } = setup({ budgetBytes: 10, models: { coder: { estimatedBytes: 7 }, reviewer: { estimatedBytes: 6 } } });
    for (let round = 0; round < 3; round++) {
      await use('coder');
      await use('reviewer');
    }
    expect(manager.stats()).toMatchObject({ loads: 6, unloads: 5, byModel: { coder: { loads: 3, unloads: 3 }, reviewer: { loads: 3, unloads: 2 } } });
  });

  it('does not reload a resident model, and serves concurrent requests for it with one load', async () => {
    const { manager, log } = setup({ budgetBytes: 10, models: { a: { estimatedBytes: 4 } } });
    const leases = await Promise.all([manager.acquire('a'), manager.acquire('a'), manager.acquire('a')]);
    expect(leases.map((lease) => lease.modelId)).toEqual(['a', 'a', 'a']);
    expect(log).toEqual(['load a']);
  });

  it('never evicts a model in use: it refuses as busy until the lease is released', async () => {
    const { manager, log } = setup({ budgetBytes: 10, models: { a: { estimatedBytes: 6 }, b: { estimatedBytes: 6 } } });
    const lease = await manager.acquire('a');
    const error = await rejection(manager.acquire('b'));
    expect(error).toBeInstanceOf(ResidencyError);
    expect((error as ResidencyError).code).toBe('RESIDENCY_BUSY');
    expect((error as ResidencyError).context).toMatchObject({ busy: ['a'] });
    expect(log).toEqual(['load a']);
    lease.release();
    lease.release();
    await (await manager.acquire('b')).release();
    expect(log).toEqual(['load a', 'unload a', 'load b']);
  });

  it('records estimated against measured bytes for every load and accounts measured bytes from then on', async () => {
    const { manager, use } = setup({ budgetBytes: 10, models: { a: { estimatedBytes: 4 }, b: { estimatedBytes: 4 } }, measure: (modelId) => (modelId === 'a' ? 7 : 3) });
    await use('a');
    expect(manager.usedBytes()).toBe(7);
    await use('b');
    expect(manager.resident()).toEqual(['b']);
    expect(manager.stats().loadRecords).toEqual([
      { modelId: 'a', estimatedBytes: 4, measuredBytes: 7 },
      { modelId: 'b', estimatedBytes: 4, measuredBytes: 3 },
    ]);
    const unmeasured = setup({ budgetBytes: 10, models: { a: { estimatedBytes: 4 } } });
    await unmeasured.use('a');
    expect(unmeasured.manager.stats().loadRecords).toEqual([{ modelId: 'a', estimatedBytes: 4, measuredBytes: null }]);
  });

  it('passes a failed load on, counting it, and leaves the model unloaded', async () => {
    const { manager } = setup({ budgetBytes: 10, models: { a: { estimatedBytes: 4 } }, failLoading: new Set(['a']) });
    expect(await rejection(manager.acquire('a'))).toMatchObject({ message: 'cannot load a' });
    expect(manager.resident()).toEqual([]);
    expect(manager.stats()).toMatchObject({ loads: 0, failedLoads: 1 });
  });

  it('refuses unknown models, and unloads everything on dispose', async () => {
    const { manager, log, use } = setup({ budgetBytes: 10, models: { a: { estimatedBytes: 4 }, b: { estimatedBytes: 4, pinned: true } } });
    expect(await rejection(manager.acquire('ghost'))).toMatchObject({ code: 'RESIDENCY_UNKNOWN_MODEL' });
    await use('a');
    await use('b');
    await manager.dispose();
    expect(log).toEqual(['load a', 'load b', 'unload a', 'unload b']);
    expect(manager.resident()).toEqual([]);
    expect(manager.stats()).toMatchObject({ unloads: 2, evictions: 0 });
    expect(await rejection(manager.acquire('a'))).toMatchObject({ code: 'RESIDENCY_DISPOSED' });
  });
});
