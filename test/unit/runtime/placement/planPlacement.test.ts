import { describe, expect, it } from 'vitest';
import { loadModelCatalog } from '../../../../src/runtime/catalog/loadModelCatalog.js';
import type { CatalogModel, CatalogProfile, ModelCatalog } from '../../../../src/runtime/catalog/modelCatalogSchema.js';
import { selectProfile } from '../../../../src/runtime/catalog/selectProfile.js';
import { defaultReserveBytes } from '../../../../src/runtime/placement/defaultReserveBytes.js';
import { estimateModelMemory } from '../../../../src/runtime/placement/estimateModelMemory.js';
import { factsFromCatalogModel } from '../../../../src/runtime/placement/factsFromCatalogModel.js';
import { MissingModelFactsError } from '../../../../src/runtime/placement/MissingModelFactsError.js';
import type { ModelFacts } from '../../../../src/runtime/placement/ModelFacts.js';
import type { MachineInfo } from '../../../../src/runtime/placement/PlacementPlan.js';
import { planPlacement } from '../../../../src/runtime/placement/planPlacement.js';
import { simulateAppleSiliconMachine } from '../../../../src/runtime/placement/simulateAppleSiliconMachine.js';

const GIB = 1024 ** 3;
const GB = 1e9;

function allFacts(catalog: ModelCatalog): Record<string, ModelFacts> {
  return Object.fromEntries(catalog.models.map((model) => [model.id, factsFromCatalogModel({ model })]));
}

/** A plain machine with exactly `budget` bytes to plan with (no reserve, no Metal limit). */
function machineWithBudget(budget: number): { machine: MachineInfo; reserveBytes: number } {
  return { machine: { totalMemoryBytes: budget, freeMemoryBytes: budget, unified: true }, reserveBytes: 0 };
}

const dense = (fileSizeBytes: number, extra: Partial<ModelFacts> = {}): ModelFacts => ({
  fileSizeBytes,
  blockCount: 28,
  kvHeads: 4,
  headDim: 128,
  headCount: 28,
  vocabSize: 152064,
  trainedContext: 131072,
  ...extra,
});

type Roles = CatalogProfile['roles'];
const role = (model: string, contextSize: number, extra: Partial<Roles['brain']> = {}): Roles['brain'] => ({
  model,
  contextSize,
  gpuLayers: 'max',
  pinned: false,
  priority: 0,
  onDemand: false,
  ...extra,
});
const profileOf = (roles: Roles, memoryGb = 32): CatalogProfile => ({ id: 'test', memoryGb, description: 'test', roles });

describe('planPlacement on the shipped profiles', () => {
  it('fits every profile at its own tier: resident models fit, only on-demand models swap, nothing cannot run', async () => {
    const catalog = await loadModelCatalog();
    const facts = allFacts(catalog);
    for (const profile of catalog.profiles) {
      const machine = simulateAppleSiliconMachine({ memoryBytes: profile.memoryGb * GIB });
      const plan = planPlacement({ machine, profile, models: facts, catalog });
      expect(plan.ok, profile.id).toBe(true);
      expect(plan.warnings, profile.id).toEqual([]);
      expect(plan.headroomBytes, profile.id).toBeGreaterThan(0);
      for (const model of plan.models) {
        expect(['fits', 'must-swap'], `${profile.id} ${model.modelId}`).toContain(model.verdict);
        if (model.verdict === 'must-swap') expect(model.onDemand, `${profile.id} ${model.modelId}`).toBe(true);
        for (const context of model.contexts) expect(context.contextSize).toBe(context.requestedContext);
      }
      expect(plan.swapPeakBytes, profile.id).toBeLessThanOrEqual(plan.budgetBytes);
    }
  });

  it('keeps an ~80B coder and a separate ~27B QA model resident together on a 128 GB Mac', async () => {
    const catalog = await loadModelCatalog();
    const machine = simulateAppleSiliconMachine({ memoryBytes: 128 * GIB });
    const profile = selectProfile({ catalog, memoryBytes: machine.totalMemoryBytes });
    const plan = planPlacement({ machine, profile, models: allFacts(catalog), catalog });
    const byRole = Object.fromEntries(plan.roles.map((entry) => [entry.role, entry]));
    const parameters = (id: string) => Number.parseFloat(catalog.models.find((model) => model.id === id)!.parameters);
    expect(byRole.coder!.modelId).not.toBe(byRole.qa!.modelId);
    expect(parameters(byRole.coder!.modelId)).toBeGreaterThanOrEqual(70);
    expect(parameters(byRole.qa!.modelId)).toBeGreaterThanOrEqual(24);
    expect(parameters(byRole.qa!.modelId)).toBeLessThanOrEqual(32);
    expect(byRole.coder!.verdict).toBe('fits');
    expect(byRole.qa!.verdict).toBe('fits');
    expect(byRole.coder!.contextSize).toBeGreaterThanOrEqual(65536);
    expect(plan.residentBytes).toBeGreaterThan(70 * GB);
  });

  it('gives a 36 GB Mac a 30B-class coder resident and swaps its reviewer in', async () => {
    const catalog = await loadModelCatalog();
    const machine = simulateAppleSiliconMachine({ memoryBytes: 36 * GIB });
    const profile = selectProfile({ catalog, memoryBytes: machine.totalMemoryBytes });
    const plan = planPlacement({ machine, profile, models: allFacts(catalog), catalog });
    const coder = plan.roles.find((entry) => entry.role === 'coder')!;
    expect(Number.parseFloat(catalog.models.find((model) => model.id === coder.modelId)!.parameters)).toBeGreaterThanOrEqual(30);
    expect(coder.verdict).toBe('fits');
    expect(plan.roles.find((entry) => entry.role === 'brain')!.modelId).toBe(coder.modelId);
    expect(plan.roles.find((entry) => entry.role === 'qa')!.verdict).toBe('must-swap');
    expect(plan.limitedBy).toBe('metal-working-set');
    expect(plan.budgetBytes).toBe(24 * GIB);
  });

  it("reports a profile that is too big for the machine, and points to the next tier down", async () => {
    const catalog = await loadModelCatalog();
    const profile = catalog.profiles.find((candidate) => candidate.id === 'mac-128gb')!;
    const plan = planPlacement({ machine: simulateAppleSiliconMachine({ memoryBytes: 64 * GIB }), profile, models: allFacts(catalog), catalog });
    expect(plan.ok).toBe(false);
    expect(plan.models.some((model) => model.verdict === 'cannot-run')).toBe(true);
    expect(plan.suggestions).toContainEqual(expect.objectContaining({ kind: 'smaller-profile', profileId: 'mac-96gb' }));
  });
});

describe('planPlacement', () => {
  it('uses 15% of memory or 6 GiB as the reserve, and Metal\'s working set when that is smaller', () => {
    expect(defaultReserveBytes(16 * GIB)).toBe(6 * GIB);
    expect(defaultReserveBytes(128 * GIB)).toBe(Math.round(128 * GIB * 0.15));
    const profile = profileOf({ brain: role('a', 8192), coder: role('a', 16384), qa: role('a', 8192) });
    const models = { a: dense(1 * GB) };
    const cpu = planPlacement({ machine: { totalMemoryBytes: 64 * GIB, freeMemoryBytes: 64 * GIB, unified: false, metalWorkingSetBytes: 10 * GIB }, profile, models });
    expect(cpu).toMatchObject({ limitedBy: 'reserve', reserveBytes: Math.round(64 * GIB * 0.15), budgetBytes: 64 * GIB - Math.round(64 * GIB * 0.15) });
    const mac = planPlacement({ machine: { totalMemoryBytes: 64 * GIB, freeMemoryBytes: 64 * GIB, unified: true, metalWorkingSetBytes: 48 * GIB }, profile, models });
    expect(mac).toMatchObject({ limitedBy: 'metal-working-set', budgetBytes: 48 * GIB });
    expect(planPlacement({ machine: { totalMemoryBytes: 64 * GIB, freeMemoryBytes: 64 * GIB, unified: true }, profile, models, reserveBytes: 4 * GIB }).budgetBytes).toBe(60 * GIB);
  });

  it('counts shared weights once and gives each role its own context', () => {
    const models = { shared: dense(10 * GB), other: dense(10 * GB) };
    const { machine, reserveBytes } = machineWithBudget(100 * GB);
    const sharedPlan = planPlacement({ machine, reserveBytes, models, profile: profileOf({ brain: role('shared', 8192), coder: role('shared', 16384), qa: role('shared', 8192) }) });
    expect(sharedPlan.models).toHaveLength(1);
    const shared = sharedPlan.models[0]!;
    expect(shared.roles).toEqual(['brain', 'coder', 'qa']);
    expect(shared.weightsBytes).toBe(10 * GB);
    expect(shared.kvCacheBytes).toBe(2 * 28 * 4 * 128 * (8192 + 16384 + 8192) * 2);
    expect(shared.contexts.map((context) => context.contextSize)).toEqual([8192, 16384, 8192]);
    const splitPlan = planPlacement({ machine, reserveBytes, models, profile: profileOf({ brain: role('other', 8192), coder: role('shared', 16384), qa: role('shared', 8192) }) });
    expect(splitPlan.residentBytes - sharedPlan.residentBytes).toBe(10 * GB);
    expect(sharedPlan.residentBytes).toBe(estimateModelMemory({ facts: models.shared, contextSizes: [8192, 16384, 8192] }).totalBytes);
  });

  it('shrinks contexts to the largest that fit, never below a role\'s minimum', () => {
    const models = { coder: dense(8 * GB) };
    const profile = profileOf({ brain: role('coder', 8192), coder: role('coder', 65536), qa: role('coder', 16384) });
    const atMinimum = estimateModelMemory({ facts: models.coder, contextSizes: [8192, 16384, 8192] }).totalBytes;
    const asked = estimateModelMemory({ facts: models.coder, contextSizes: [8192, 65536, 16384] }).totalBytes;
    const { machine, reserveBytes } = machineWithBudget(Math.round((atMinimum + asked) / 2));
    const plan = planPlacement({ machine, reserveBytes, profile, models });
    const model = plan.models[0]!;
    expect(model.verdict).toBe('fits-smaller-context');
    expect(model.totalBytes).toBeLessThanOrEqual(plan.budgetBytes);
    for (const context of model.contexts) {
      expect(context.contextSize).toBeGreaterThanOrEqual(context.minimumContext);
      expect(context.contextSize % 256).toBe(0);
    }
    const [brain, coder, qa] = model.contexts;
    expect(brain!.contextSize).toBe(8192);
    expect(coder!.contextSize).toBeGreaterThan(16384);
    expect(coder!.contextSize).toBeLessThan(65536);
    expect(qa!.contextSize).toBeLessThan(16384);
    // The largest: 2048 more tokens for every role would not fit.
    const bigger = model.contexts.map((context) => context.contextSize + 2048);
    expect(estimateModelMemory({ facts: models.coder, contextSizes: bigger }).totalBytes).toBeGreaterThan(plan.budgetBytes);
    expect(model.suggestions).toContainEqual(expect.objectContaining({ kind: 'lower-context', contextSize: coder!.contextSize }));
    expect(plan.ok).toBe(true);

    const tooTight = machineWithBudget(atMinimum - 1);
    const refused = planPlacement({ ...tooTight, profile, models });
    expect(refused.models[0]!.verdict).toBe('cannot-run');
    expect(refused.models[0]!.contexts.map((context) => context.contextSize)).toEqual([8192, 16384, 8192]);
  });

  it('raises a context below the minimum and caps one above the trained context, with warnings', () => {
    const { machine, reserveBytes } = machineWithBudget(100 * GB);
    const plan = planPlacement({
      machine,
      reserveBytes,
      models: { a: dense(1 * GB, { trainedContext: 32768 }) },
      profile: profileOf({ brain: role('a', 2048), coder: role('a', 65536), qa: role('a', 8192) }),
    });
    expect(plan.roles.map((entry) => entry.contextSize)).toEqual([8192, 32768, 8192]);
    expect(plan.warnings.join('\n')).toMatch(/brain: context 2048 is below the minimum 8192/);
    expect(plan.warnings.join('\n')).toMatch(/coder: context 65536 exceeds a's trained 32768/);
  });

  it('plans a swap for a model that cannot stay beside the others but fits alone, and never plans a model that cannot fit at all', () => {
    const models = { coder: dense(10 * GB), reviewer: dense(9 * GB), huge: dense(40 * GB) };
    const coderBytes = estimateModelMemory({ facts: models.coder, contextSizes: [8192, 16384] }).totalBytes;
    const reviewerBytes = estimateModelMemory({ facts: models.reviewer, contextSizes: [8192] }).totalBytes;
    const { machine, reserveBytes } = machineWithBudget(Math.max(coderBytes, reviewerBytes) + 1 * GB);
    const planned = planPlacement({
      machine,
      reserveBytes,
      models,
      profile: profileOf({ brain: role('coder', 8192), coder: role('coder', 16384), qa: role('reviewer', 8192, { onDemand: true }) }),
    });
    expect(planned.models.map((model) => [model.modelId, model.verdict])).toEqual([
      ['coder', 'fits'],
      ['reviewer', 'must-swap'],
    ]);
    expect(planned.ok).toBe(true);
    expect(planned.residentBytes).toBe(coderBytes);
    expect(planned.swapPeakBytes).toBe(reviewerBytes);

    const unplanned = planPlacement({
      machine,
      reserveBytes,
      models,
      profile: profileOf({ brain: role('coder', 8192), coder: role('coder', 16384), qa: role('reviewer', 8192) }),
    });
    expect(unplanned.models[1]!.verdict).toBe('must-swap');
    expect(unplanned.ok).toBe(false);
    expect(unplanned.models[1]!.suggestions).toContainEqual(expect.objectContaining({ kind: 'on-demand', modelId: 'reviewer' }));

    const pinnedCoder = planPlacement({
      machine,
      reserveBytes,
      models,
      pinned: ['coder'],
      profile: profileOf({ brain: role('coder', 8192), coder: role('coder', 16384), qa: role('reviewer', 8192, { onDemand: true }) }),
    });
    expect(pinnedCoder.models[1]!.verdict).toBe('cannot-run');
    expect(pinnedCoder.models[1]!.suggestions).toContainEqual(expect.objectContaining({ kind: 'unpin' }));

    const withHuge = planPlacement({
      machine,
      reserveBytes,
      models,
      profile: profileOf({ brain: role('coder', 8192), coder: role('coder', 16384), qa: role('huge', 8192, { onDemand: true }) }),
    });
    expect(withHuge.models[1]).toMatchObject({ modelId: 'huge', verdict: 'cannot-run' });
    expect(withHuge.swapPeakBytes).toBe(0);
    expect(withHuge.residentBytes).toBe(coderBytes);
    expect(withHuge.ok).toBe(false);
  });

  it('suggests a smaller quantization from the catalog and the next tier down when a model cannot run', async () => {
    const shipped = await loadModelCatalog();
    const big = shipped.models.find((model) => model.id === 'qwen3-coder-30b-a3b-q8')!;
    const small = shipped.models.find((model) => model.id === 'qwen3-coder-30b-a3b-q4km')!;
    const profile: CatalogProfile = {
      id: 'try-q8',
      memoryGb: 32,
      description: 'Q8 on a small Mac',
      roles: { brain: role(big.id, 8192), coder: role(big.id, 16384), qa: role(big.id, 8192) },
    };
    const catalog: ModelCatalog = { ...shipped, profiles: [...shipped.profiles, profile] };
    const models: Record<string, ModelFacts> = { [big.id]: factsFromCatalogModel({ model: big }) };
    const plan = planPlacement({ machine: simulateAppleSiliconMachine({ memoryBytes: 36 * GIB }), profile, models, catalog });
    const placement = plan.models[0]!;
    expect(placement.verdict).toBe('cannot-run');
    expect(placement.totalBytes).toBeGreaterThan(plan.budgetBytes);
    expect(placement.suggestions).toContainEqual(expect.objectContaining({ kind: 'smaller-quant', modelId: small.id }));
    expect(placement.suggestions).toContainEqual(expect.objectContaining({ kind: 'smaller-profile', profileId: 'mac-24gb' }));
    expect(plan.residentBytes).toBe(0);
    expect(plan.ok).toBe(false);
  });

  it('refuses a model whose trained context is below a role minimum', () => {
    const { machine, reserveBytes } = machineWithBudget(100 * GB);
    const plan = planPlacement({
      machine,
      reserveBytes,
      models: { a: dense(1 * GB), short: dense(1 * GB, { trainedContext: 4096 }) },
      profile: profileOf({ brain: role('a', 8192), coder: role('short', 4096), qa: role('a', 8192) }),
    });
    const short = plan.models.find((model) => model.modelId === 'short')!;
    expect(short.verdict).toBe('cannot-run');
    expect(short.suggestions).toEqual([expect.objectContaining({ kind: 'other-model', modelId: 'short' })]);
    expect(plan.ok).toBe(false);
  });

  it('loads pinned models first, then resident before on-demand, then by priority, then in role order, deterministically', () => {
    const models = { a: dense(1 * GB), b: dense(1 * GB), c: dense(1 * GB), d: dense(0.1 * GB), e: dense(1 * GB) };
    const roles: Roles = {
      brain: role('a', 8192),
      coder: role('b', 16384, { priority: 5 }),
      qa: role('c', 8192, { onDemand: true, priority: 100 }),
      embedding: role('d', 2048, { pinned: true }),
    };
    const { machine, reserveBytes } = machineWithBudget(100 * GB);
    const plan = planPlacement({ machine, reserveBytes, models, profile: profileOf(roles) });
    expect(plan.loadOrder).toEqual(['d', 'b', 'a', 'c']);
    expect(plan.roles.map((entry) => entry.role)).toEqual(['brain', 'coder', 'qa', 'embedding']);
    const reordered = Object.fromEntries(Object.entries(models).reverse());
    expect(planPlacement({ machine, reserveBytes, models: reordered, profile: profileOf(roles) })).toEqual(plan);
    expect(planPlacement({ machine, reserveBytes, models, pinned: ['a'], profile: profileOf(roles) }).loadOrder).toEqual(['a', 'd', 'b', 'c']);
  });

  it('gives earlier models in the load order their contexts first', () => {
    const models = { coder: dense(6 * GB), reviewer: dense(6 * GB) };
    const coder = estimateModelMemory({ facts: models.coder, contextSizes: [16384, 32768] }).totalBytes;
    const reviewerMinimum = estimateModelMemory({ facts: models.reviewer, contextSizes: [8192] }).totalBytes;
    const { machine, reserveBytes } = machineWithBudget(coder + reviewerMinimum + 256 * 1024 ** 2);
    const plan = planPlacement({
      machine,
      reserveBytes,
      models,
      profile: profileOf({ brain: role('coder', 16384), coder: role('coder', 32768, { priority: 10 }), qa: role('reviewer', 32768) }),
    });
    expect(plan.models.map((model) => [model.modelId, model.verdict])).toEqual([
      ['coder', 'fits'],
      ['reviewer', 'fits-smaller-context'],
    ]);
    expect(plan.headroomBytes).toBeGreaterThanOrEqual(0);
  });

  it('warns when the OS reports less free memory than the resident set needs, and when headroom is thin', () => {
    const profile = profileOf({ brain: role('a', 8192), coder: role('a', 16384), qa: role('a', 8192) });
    const models = { a: dense(4 * GB) };
    const needed = estimateModelMemory({ facts: models.a, contextSizes: [8192, 16384, 8192] }).totalBytes;
    const plan = planPlacement({ machine: { totalMemoryBytes: needed + 1, freeMemoryBytes: 1 * GIB, unified: false }, reserveBytes: 0, profile, models });
    expect(plan.models[0]!.verdict).toBe('fits');
    expect(plan.warnings.join('\n')).toMatch(/reports 1\.0 GiB free/);
    expect(plan.warnings.join('\n')).toMatch(/Only 0\.0 GiB of the/);
  });

  it('throws a typed error when a profile names a model without facts', () => {
    const { machine, reserveBytes } = machineWithBudget(100 * GB);
    expect(() =>
      planPlacement({ machine, reserveBytes, models: { a: dense(1 * GB) }, profile: profileOf({ brain: role('a', 8192), coder: role('a', 16384), qa: role('ghost', 8192) }) }),
    ).toThrow(MissingModelFactsError);
    const bare: CatalogModel = { ...({} as CatalogModel), id: 'bare', fileSizeBytes: 1, trainedContext: 1 };
    expect(() => factsFromCatalogModel({ model: bare })).toThrow(/no architecture block/);
  });
});
