import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import type { BackendSpec } from '../../shared/modelHostProtocol.js';
import type { ModelRole } from '../../shared/modelRole.js';
import { loadModelCatalog } from '../catalog/loadModelCatalog.js';
import type { PlacementRole } from '../catalog/placementRoleSchema.js';
import { selectProfile } from '../catalog/selectProfile.js';
import { detectMachine } from '../placement/detectMachine.js';
import { factsFromGguf } from '../placement/factsFromGguf.js';
import type { ModelFacts } from '../placement/ModelFacts.js';
import type { MachineInfo, PlacementPlan } from '../placement/PlacementPlan.js';
import { planPlacement } from '../placement/planPlacement.js';
import { createModelFileStore } from '../store/createModelFileStore.js';
import { describeMissingModels } from './describeMissingModels.js';
import { LocalModelsError } from './LocalModelsError.js';

const ROLES: ModelRole[] = ['brain', 'coder', 'qa'];

type LlamaRoleSpec = Extract<BackendSpec, { kind: 'llama' }>['roles'][ModelRole];

/** Context used for a single GGUF given on the command line, capped by what the model was trained on. */
const SINGLE_FILE_CONTEXT = 16_384;

/**
 * Decides which local GGUF files serve brain, coder and QA, with what context and offload: either one
 * file for every role (`local:<file.gguf>`), or the memory-tier profile from the catalog, planned
 * against this machine with the files found in the model store, with the plan's budget, pinning,
 * priorities and on-demand models (a `must-swap` model counts as on demand), so the backend keeps the
 * resident set the plan chose and swaps the rest. A profile's embedding model is planned with the others
 * and served as the spec's `embedding`. Refuses, with the commands to fix it, when a brain, coder or qa
 * model is missing or the plan says a model cannot run; a missing embedding model only leaves embedding
 * out, with a warning, since nothing in a session needs it yet.
 */
export async function planLocalModels(options: {
  /** A GGUF for every role; when absent, the catalog profile is used. */
  modelPath?: string;
  /** Nightshift's data directory (models live in `<dataDir>/models`, global overrides in `<dataDir>/models.json`). */
  dataDir: string;
  /** Project whose `nightshift.models.json` overrides the catalog. */
  projectDir?: string;
  /** Profile id instead of the largest tier that fits this machine. */
  profileId?: string;
  /** The machine to plan for. Default: detectMachine(). */
  machine?: MachineInfo;
  llama?: Llama;
}): Promise<{
  spec: Extract<BackendSpec, { kind: 'llama' }>;
  plan: PlacementPlan | null;
  /** What was left out and why (a missing embedding model), for the user; empty when nothing was. */
  warnings: string[];
}> {
  if (options.modelPath) {
    const modelPath = resolve(options.modelPath);
    if (!existsSync(modelPath)) {
      throw new LocalModelsError({ message: `No model file at ${modelPath}.`, hint: 'Pass the path of a GGUF file, or `--models local` to use the catalog profile.' });
    }
    const facts = await factsFromGguf({ path: modelPath, ...(options.llama ? { llama: options.llama } : {}) });
    const role = { modelPath, modelId: modelPath.split('/').pop()!.replace(/\.gguf$/i, ''), contextSize: Math.min(facts.trainedContext, SINGLE_FILE_CONTEXT), gpuLayers: 'max' as const };
    return { spec: { kind: 'llama', roles: { brain: role, coder: role, qa: role } }, plan: null, warnings: [] };
  }

  const catalog = await loadModelCatalog({
    overrides: [join(options.dataDir, 'models.json'), ...(options.projectDir ? [join(options.projectDir, 'nightshift.models.json')] : [])],
  });
  const machine = options.machine ?? (await detectMachine(options.llama ? { llama: options.llama } : undefined));
  const selected = selectProfile({ catalog, memoryBytes: machine.totalMemoryBytes, ...(options.profileId ? { profileId: options.profileId } : {}) });
  const store = createModelFileStore({ dir: join(options.dataDir, 'models') });
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  const findPath = async (modelId: string) => {
    const model = catalog.models.find((candidate) => candidate.id === modelId);
    const local = model && !model.source.startsWith('hf:') && !/^https?:/.test(model.source) ? resolve(options.projectDir ?? '.', model.source.replace(/^~(?=\/)/, homedir())) : null;
    return (await store.resolve({ id: modelId })) ?? (local && existsSync(local) ? local : null);
  };
  for (const role of ROLES) {
    const modelId = selected.roles[role]?.model;
    if (!modelId || paths[modelId]) continue;
    const path = await findPath(modelId);
    if (path) paths[modelId] = path;
    else if (!missing.includes(modelId)) missing.push(modelId);
  }
  const warnings: string[] = [];
  let profile = selected;
  const embeddingId = selected.roles.embedding?.model;
  if (embeddingId && !paths[embeddingId]) {
    const path = await findPath(embeddingId);
    if (path) {
      paths[embeddingId] = path;
    } else {
      profile = { ...selected, roles: { brain: selected.roles.brain, coder: selected.roles.coder, qa: selected.roles.qa } };
      warnings.push(
        `Embedding model ${embeddingId} of profile ${selected.id} is not on this machine; running without embeddings. Fetch it with \`nightshift models pull ${embeddingId}\`.`,
      );
    }
  }
  if (missing.length > 0) {
    const present = new Set<string>();
    for (const model of catalog.models) if (paths[model.id] || (await findPath(model.id))) present.add(model.id);
    throw new LocalModelsError({
      ...describeMissingModels({ catalog, profile, missing, present, memoryBytes: machine.totalMemoryBytes }),
      context: { profile: profile.id, missing },
    });
  }
  const facts: Record<string, ModelFacts> = {};
  for (const [modelId, path] of Object.entries(paths)) facts[modelId] = await factsFromGguf({ path, ...(options.llama ? { llama: options.llama } : {}) });
  const plan = planPlacement({ machine, profile, models: facts, catalog });
  const blocked = plan.models.filter((model) => model.verdict === 'cannot-run');
  if (blocked.length > 0) {
    throw new LocalModelsError({
      message: `Profile ${profile.id} cannot run on this machine: ${blocked.map((model) => `${model.modelId} does not fit even alone`).join('; ')}.`,
      hint: [...blocked.flatMap((model) => model.suggestions.map((suggestion) => suggestion.message)), 'See `nightshift models plan` for the whole plan.'].join(' '),
      context: { profile: profile.id },
    });
  }
  const roles = Object.fromEntries(ROLES.map((role) => [role, roleSpec(plan, paths, role)])) as Extract<BackendSpec, { kind: 'llama' }>['roles'];
  const embedding = profile.roles.embedding ? roleSpec(plan, paths, 'embedding') : undefined;
  return { spec: { kind: 'llama', roles, ...(embedding ? { embedding } : {}), budgetBytes: Math.floor(plan.budgetBytes) }, plan, warnings };
}

/** The backend settings the plan gives a role. */
function roleSpec(plan: PlacementPlan, paths: Record<string, string>, role: PlacementRole): LlamaRoleSpec {
  const placement = plan.roles.find((candidate) => candidate.role === role)!;
  const model = plan.models.find((candidate) => candidate.modelId === placement.modelId)!;
  return {
    modelPath: paths[placement.modelId]!,
    modelId: placement.modelId,
    contextSize: placement.contextSize,
    gpuLayers: model.gpuLayers,
    // A model the plan cannot keep beside the others swaps in when needed, marked on demand or not.
    onDemand: model.onDemand || model.verdict === 'must-swap',
    pinned: model.pinned,
    priority: model.priority,
  };
}
