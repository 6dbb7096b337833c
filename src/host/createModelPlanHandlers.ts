import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { loadModelCatalog } from '../runtime/catalog/loadModelCatalog.js';
import { ModelCatalogError } from '../runtime/catalog/ModelCatalogError.js';
import { modelCatalogOverrideSchema, type ModelCatalogOverride } from '../runtime/catalog/modelCatalogOverrideSchema.js';
import { modelCatalogSchema, type CatalogProfile, type ModelCatalog, type RoleAssignment } from '../runtime/catalog/modelCatalogSchema.js';
import { ProfileNotFoundError } from '../runtime/catalog/ProfileNotFoundError.js';
import { selectProfile } from '../runtime/catalog/selectProfile.js';
import { defaultReserveBytes } from '../runtime/placement/defaultReserveBytes.js';
import { detectMachine } from '../runtime/placement/detectMachine.js';
import type { MachineInfo, PlacementPlan } from '../runtime/placement/PlacementPlan.js';
import { planPlacement } from '../runtime/placement/planPlacement.js';
import { resolveProfileFacts } from '../runtime/placement/resolveProfileFacts.js';
import { simulateAppleSiliconMachine } from '../runtime/placement/simulateAppleSiliconMachine.js';
import { createModelFileStore } from '../runtime/store/createModelFileStore.js';
import type { ProjectRecord } from '../engine/ports/Store.js';
import {
  modelsPlanRoles,
  type ModelsMachine,
  type ModelsPlanVerdict,
  type ModelsPlanView,
  type ModelsProfileDraft,
} from '../shared/modelPlanProtocol.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import { ModelProfileInvalidError } from './ModelProfileInvalidError.js';

type ModelPlanHandlers = Pick<HostHandlers, 'models/machine' | 'models/plan' | 'models/profile'>;

/** A machine given instead of the detected one (tests, `NIGHTSHIFT_SIMULATE_MEMORY_GB`). Bytes. */
export interface MachineOverride {
  totalMemoryBytes: number;
  /** Metal's recommended working set; given: an Apple Silicon Mac with unified memory. */
  metalWorkingSetBytes?: number;
  /** Default `Apple Silicon (simulated)` when the working set is given, else `simulated machine`. */
  chip?: string;
}

const GIB = 1024 ** 3;
const VERDICT_ORDER: ModelsPlanVerdict[] = ['fits', 'fits-smaller-context', 'must-swap', 'cannot-run'];

/**
 * The `models/*` planning messages: this machine, the plan of a profile as edited (on this machine or a
 * what-if Mac), and saving it as an override where `planLocalModels` reads overrides (`<dataDir>/models.json`
 * globally, `<project>/nightshift.models.json` per project), so the next session runs with it.
 */
export function createModelPlanHandlers(options: {
  context: HostContext;
  /** Plan for this machine instead of detecting the one the host runs on. */
  machine?: MachineOverride;
}): ModelPlanHandlers {
  const { context } = options;
  const globalOverridePath = join(context.dataDir, 'models.json');
  const modelsDir = join(context.dataDir, 'models');
  const overridePaths = (project: ProjectRecord | null) => [globalOverridePath, ...(project ? [projectOverridePath(project)] : [])];

  // Detection on a Mac starts a Metal instance; the machine does not change while the host runs.
  let detected: Promise<{ machine: MachineInfo; chip: string; simulated: boolean }> | undefined;
  const thisMachine = () => (detected ??= detect(options.machine));

  const describeMachine = async (options: { machine: MachineInfo; chip: string; simulated: boolean; catalog: ModelCatalog }): Promise<ModelsMachine> => {
    const { machine, catalog } = options;
    const reserveBytes = defaultReserveBytes(machine.totalMemoryBytes);
    const ramBudget = Math.max(0, machine.totalMemoryBytes - reserveBytes);
    const metal = machine.unified ? machine.metalWorkingSetBytes : undefined;
    const limitedBy = metal !== undefined && metal < ramBudget ? 'metal-working-set' : 'reserve';
    let tier: ModelsMachine['tier'] = null;
    try {
      const profile = selectProfile({ catalog, memoryBytes: machine.totalMemoryBytes });
      tier = { profileId: profile.id, memoryGb: profile.memoryGb };
    } catch (error) {
      if (!(error instanceof ProfileNotFoundError)) throw error;
    }
    const diskFreeBytes = await createModelFileStore({ dir: modelsDir })
      .diskUsage()
      .then((usage) => usage.freeBytes, () => null);
    return {
      chip: options.chip,
      simulated: options.simulated,
      unified: machine.unified,
      totalMemoryBytes: machine.totalMemoryBytes,
      freeMemoryBytes: machine.freeMemoryBytes,
      metalWorkingSetBytes: metal ?? null,
      reserveBytes,
      budgetBytes: limitedBy === 'metal-working-set' ? metal! : ramBudget,
      limitedBy,
      tier,
      tiers: catalog.profiles.map((profile) => profile.memoryGb).sort((a, b) => a - b),
      modelsDir,
      diskFreeBytes,
    };
  };

  /** The plan of the profile named by `draft` (with its edits) or, without one, of the machine's tier. */
  const planView = async (request: { project: ProjectRecord | null; memoryGb?: number; draft?: ModelsProfileDraft }): Promise<ModelsPlanView> => {
    const catalog = await loadModelCatalog({ overrides: overridePaths(request.project) });
    const target =
      request.memoryGb === undefined
        ? await thisMachine()
        : { machine: simulateAppleSiliconMachine({ memoryBytes: request.memoryGb * GIB }), chip: 'Apple Silicon (simulated)', simulated: true };
    const machine = await describeMachine({ ...target, catalog });
    const profile = request.draft ? applyDraft({ catalog, draft: request.draft }) : selectProfile({ catalog, memoryBytes: target.machine.totalMemoryBytes });
    const facts = await resolveProfileFacts({ catalog, profile, baseDir: request.project?.path ?? context.dataDir });
    const plan = planPlacement({ machine: target.machine, profile, models: facts, catalog });
    const verdict = setVerdict(plan);
    return {
      machine,
      profile: {
        id: profile.id,
        memoryGb: profile.memoryGb,
        description: profile.description,
        roles: Object.fromEntries(
          modelsPlanRoles.flatMap((role) => {
            const assignment = profile.roles[role];
            return assignment ? [[role, { model: assignment.model, contextSize: assignment.contextSize, gpuLayers: assignment.gpuLayers, pinned: assignment.pinned }]] : [];
          }),
        ) as ModelsProfileDraft['roles'],
      },
      minimumContext: catalog.minimumContext,
      choices: catalog.models.map(({ id, name, quantization, fileSizeBytes, trainedContext, goodFor }) => ({ id, name, quantization, fileSizeBytes, trainedContext, goodFor })),
      plan,
      verdict,
      suggestion: describeVerdict(plan, verdict),
    };
  };

  return {
    'models/machine': async () => {
      const catalog = await loadModelCatalog({ overrides: overridePaths(null) });
      return describeMachine({ ...(await thisMachine()), catalog });
    },

    'models/plan': ({ profile, memoryGb, projectPath }) => {
      const project = projectPath === undefined ? null : context.openedProject(projectPath);
      return planView({ project, ...(memoryGb === undefined ? {} : { memoryGb }), ...(profile ? { draft: profile } : {}) });
    },

    'models/profile': async ({ scope, projectPath, profile, memoryGb }) => {
      const project = projectPath === undefined ? null : context.openedProject(projectPath);
      if (scope === 'project' && !project) throw new ModelProfileInvalidError({ field: 'projectPath', reason: 'open a project to save its own profile, or save it for every project' });
      // Planning first validates the edits against the catalog with the overrides already in force.
      await planView({ project, draft: profile });
      const path = scope === 'global' ? globalOverridePath : projectOverridePath(project!);
      await writeOverride({ path, draft: profile });
      // Planned again from the files alone, as the next session will read them.
      const saved = await loadModelCatalog({ overrides: overridePaths(project) });
      const stored = saved.profiles.find((candidate) => candidate.id === profile.id)!;
      const view = await planView({ project, ...(memoryGb === undefined ? {} : { memoryGb }), draft: { id: stored.id, roles: draftRoles(stored) } });
      return { ...view, path };
    },
  };
}

function projectOverridePath(project: ProjectRecord): string {
  return join(project.path, 'nightshift.models.json');
}

async function detect(override: MachineOverride | undefined): Promise<{ machine: MachineInfo; chip: string; simulated: boolean }> {
  if (override) {
    const unified = override.metalWorkingSetBytes !== undefined;
    return {
      machine: {
        totalMemoryBytes: override.totalMemoryBytes,
        freeMemoryBytes: override.totalMemoryBytes,
        unified,
        ...(unified ? { metalWorkingSetBytes: override.metalWorkingSetBytes! } : {}),
      },
      chip: override.chip ?? (unified ? 'Apple Silicon (simulated)' : 'simulated machine'),
      simulated: true,
    };
  }
  return { machine: await detectMachine(), chip: cpus()[0]?.model.trim() || 'unknown processor', simulated: false };
}

/**
 * The catalog profile `draft.id` with the draft's roles, checked with the catalog's own rules; the first
 * problem is refused naming the request field (`profile.roles.<role>.<field>`).
 */
function applyDraft(options: { catalog: ModelCatalog; draft: ModelsProfileDraft }): CatalogProfile {
  const { catalog, draft } = options;
  const index = catalog.profiles.findIndex((profile) => profile.id === draft.id);
  if (index === -1) throw new ModelProfileInvalidError({ field: 'profile.id', reason: `no profile "${draft.id}" in the catalog` });
  const base = catalog.profiles[index]!;
  const roles: Partial<Record<(typeof modelsPlanRoles)[number], RoleAssignment>> = {};
  for (const role of modelsPlanRoles) {
    const edit = draft.roles[role];
    const current = base.roles[role];
    if (!edit) {
      if (current) roles[role] = current;
      continue;
    }
    roles[role] = {
      priority: current?.priority ?? 0,
      ...edit,
      // A pinned role is never swapped out, so it cannot stay on demand.
      onDemand: edit.pinned ? false : (current?.onDemand ?? false),
    };
  }
  const edited = { ...base, roles } as CatalogProfile;
  const checked = modelCatalogSchema.safeParse({ ...catalog, profiles: catalog.profiles.map((profile, at) => (at === index ? edited : profile)) });
  if (!checked.success) {
    const issue = checked.error.issues.find((candidate) => candidate.path[0] === 'profiles' && candidate.path[1] === index) ?? checked.error.issues[0]!;
    const field = issue.path[0] === 'profiles' && issue.path[1] === index ? ['profile', ...issue.path.slice(2)].join('.') : 'profile';
    throw new ModelProfileInvalidError({ field, reason: issue.message });
  }
  return checked.data.profiles[index]!;
}

function draftRoles(profile: CatalogProfile): ModelsProfileDraft['roles'] {
  const pick = (assignment: RoleAssignment) => ({ model: assignment.model, contextSize: assignment.contextSize, gpuLayers: assignment.gpuLayers, pinned: assignment.pinned });
  return {
    brain: pick(profile.roles.brain),
    coder: pick(profile.roles.coder),
    qa: pick(profile.roles.qa),
    ...(profile.roles.embedding ? { embedding: pick(profile.roles.embedding) } : {}),
  };
}

/** Replaces the profile's roles in the override file at `path`, keeping everything else in it; written by rename. */
async function writeOverride(options: { path: string; draft: ModelsProfileDraft }): Promise<void> {
  const { path, draft } = options;
  let override: ModelCatalogOverride = { version: 1 };
  if (existsSync(path)) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new ModelCatalogError({ path, problem: `not valid JSON (${(error as Error).message}); fix or remove it before saving`, cause: error });
    }
    const parsed = modelCatalogOverrideSchema.safeParse(json);
    if (!parsed.success) throw new ModelCatalogError({ path, problem: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'), cause: parsed.error });
    override = parsed.data;
  }
  const roles = Object.fromEntries(
    Object.entries(draft.roles).map(([role, edit]) => [role, { ...edit, ...(edit.pinned ? { onDemand: false } : {}) }]),
  );
  const profiles = override.profiles ?? [];
  const existing = profiles.find((profile) => profile.id === draft.id);
  const entry = { ...existing, id: draft.id, roles: { ...existing?.roles, ...roles } };
  const next: ModelCatalogOverride = { ...override, profiles: existing ? profiles.map((profile) => (profile === existing ? entry : profile)) : [...profiles, entry] };
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`);
  await rename(temporary, path);
}

/** The worst verdict of the set, a swap the profile planned (an on-demand model) counting as fitting. */
function setVerdict(plan: PlacementPlan): ModelsPlanVerdict {
  let worst = 0;
  for (const model of plan.models) {
    const verdict = model.verdict === 'must-swap' && model.onDemand ? 'fits' : model.verdict;
    worst = Math.max(worst, VERDICT_ORDER.indexOf(verdict));
  }
  return VERDICT_ORDER[worst]!;
}

function describeVerdict(plan: PlacementPlan, verdict: ModelsPlanVerdict): string {
  const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;
  const planned = plan.models.filter((model) => model.verdict === 'must-swap' && model.onDemand).map((model) => model.modelId);
  const swapNote = planned.length > 0 ? ` ${planned.join(' and ')} ${planned.length === 1 ? 'swaps' : 'swap'} in when needed, as the profile plans.` : '';
  const suggestions = [...plan.models.filter((model) => !(model.verdict === 'must-swap' && model.onDemand)).flatMap((model) => model.suggestions), ...plan.suggestions];
  // Several models, and the plan itself, can each point at the same smaller profile; it is said once.
  const advice = [...new Map(suggestions.map((suggestion) => [suggestion.kind === 'smaller-profile' ? `profile:${suggestion.profileId}` : suggestion.message, suggestion.message])).values()];
  const lead = {
    fits: `Everything fits: ${gib(plan.residentBytes)} resident of the ${gib(plan.budgetBytes)} budget, ${gib(plan.headroomBytes)} headroom.${swapNote}`,
    'fits-smaller-context': `Fits only with smaller contexts than asked (${gib(plan.headroomBytes)} headroom left).${swapNote}`,
    'must-swap': `Must swap: a model meant to stay resident does not fit beside the others, so it is reloaded each time it is needed (slow).${swapNote}`,
    'cannot-run': 'Cannot run: a model does not fit in the budget even alone at its minimum context.',
  }[verdict];
  return [lead, ...advice].join(' ');
}
