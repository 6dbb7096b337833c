import type { CatalogProfile, ModelCatalog, RoleAssignment } from '../catalog/modelCatalogSchema.js';
import { placementRoleSchema, type PlacementRole } from '../catalog/placementRoleSchema.js';
import { defaultReserveBytes } from './defaultReserveBytes.js';
import { estimateModelMemory, type ModelMemoryEstimate } from './estimateModelMemory.js';
import { MissingModelFactsError } from './MissingModelFactsError.js';
import type { ModelFacts } from './ModelFacts.js';
import type { ContextPlacement, MachineInfo, ModelPlacement, PlacementPlan, PlacementSuggestion, PlacementVerdict, RolePlacement } from './PlacementPlan.js';

const ROLE_ORDER = placementRoleSchema.options;
/** Used when neither the caller nor a catalog gives minimums; the shipped catalog says the same. */
const DEFAULT_MINIMUM_CONTEXT: Record<PlacementRole, number> = { brain: 8192, coder: 16384, qa: 8192, embedding: 512 };
/** Jan calls a fit comfortable below 90% of memory; less headroom than this earns a warning. */
const TIGHT_HEADROOM_FRACTION = 0.1;
/** Steps of the context search: contexts shrink in 1/1024ths of what was asked. */
const SHRINK_STEPS = 1024;
const CONTEXT_GRANULARITY = 256;
const GIB = 1024 ** 3;

interface ModelGroup {
  modelId: string;
  facts: ModelFacts;
  roles: PlacementRole[];
  requested: number[];
  minimums: number[];
  pinned: boolean;
  priority: number;
  onDemand: boolean;
  gpuLayers: number | 'max';
  firstRoleIndex: number;
  /** The trained context is below a role's minimum: no context can satisfy it. */
  tooShort: boolean;
}

/**
 * Plans which models of a profile stay resident on a machine, with what contexts, and what must swap or
 * cannot run. Pure: the same inputs give the same plan.
 *
 * Models load in a fixed order (pinned, then resident before on-demand, then priority, then role order
 * brain, coder, qa, embedding). Each takes its requested contexts if they fit beside the models before
 * it, else the largest contexts that fit (never below a role's minimum), else it is planned as a swap
 * when it fits alone beside the pinned models, else it cannot run. Following Ollama's lessons, a model
 * that cannot fit even alone is never planned to evict anything, so the runtime does not evict and
 * reload in a loop. Roles on the same model share its weights and get one context each.
 */
export function planPlacement(options: {
  machine: MachineInfo;
  profile: CatalogProfile;
  /** Facts for every model the profile names, by model id. */
  models: Record<string, ModelFacts>;
  /** Model ids to treat as pinned besides those the profile pins. */
  pinned?: string[];
  /** Bytes left to the OS and apps. Default: 15% of total memory or 6 GiB, whichever is larger. */
  reserveBytes?: number;
  /** Smallest context per role in tokens. Default: the catalog's, else brain 8192, coder 16384, qa 8192, embedding 512. */
  minimumContext?: Record<PlacementRole, number>;
  /** Source of suggestions: smaller quantizations of the same family, the next profile down. */
  catalog?: ModelCatalog;
  /** Assume flash attention when sizing compute buffers. Default true. */
  flashAttention?: boolean;
}): PlacementPlan {
  const { machine, profile } = options;
  const minimumContext = options.minimumContext ?? options.catalog?.minimumContext ?? DEFAULT_MINIMUM_CONTEXT;
  const reserveBytes = options.reserveBytes ?? defaultReserveBytes(machine.totalMemoryBytes);
  const ramBudget = Math.max(0, machine.totalMemoryBytes - reserveBytes);
  const metalLimit = machine.unified ? machine.metalWorkingSetBytes : undefined;
  const limitedBy = metalLimit !== undefined && metalLimit < ramBudget ? 'metal-working-set' : 'reserve';
  const budgetBytes = limitedBy === 'metal-working-set' ? metalLimit! : ramBudget;
  const estimate = (facts: ModelFacts, contextSizes: number[]) =>
    estimateModelMemory({ facts, contextSizes, ...(options.flashAttention === undefined ? {} : { flashAttention: options.flashAttention }) });

  const warnings: string[] = [];
  const groups = groupByModel(profile, options.models, minimumContext, new Set(options.pinned ?? []), warnings);
  const ordered = [...groups].sort(
    (a, b) =>
      Number(b.pinned) - Number(a.pinned) ||
      Number(a.onDemand) - Number(b.onDemand) ||
      b.priority - a.priority ||
      a.firstRoleIndex - b.firstRoleIndex ||
      a.modelId.localeCompare(b.modelId),
  );

  let residentBytes = 0;
  let pinnedBytes = 0;
  let swapPeakBytes = 0;
  const placements: ModelPlacement[] = [];
  for (const group of ordered) {
    const requested = estimate(group.facts, group.requested);
    const minimal = estimate(group.facts, group.minimums);
    let verdict: PlacementVerdict;
    let contexts = group.requested;
    let memory = requested;
    if (group.tooShort || minimal.totalBytes > budgetBytes) {
      verdict = 'cannot-run';
      contexts = group.minimums;
      memory = minimal;
    } else if (residentBytes + requested.totalBytes <= budgetBytes) {
      verdict = 'fits';
    } else {
      // An on-demand model keeps its full contexts and swaps in, rather than squeezing into what is left.
      const shrunk = group.onDemand ? undefined : largestFitting(group, budgetBytes - residentBytes, estimate);
      if (shrunk) {
        verdict = 'fits-smaller-context';
        ({ contexts, memory } = shrunk);
      } else {
        const alone = largestFitting(group, budgetBytes - pinnedBytes, estimate);
        if (alone) {
          verdict = 'must-swap';
          ({ contexts, memory } = alone);
          swapPeakBytes = Math.max(swapPeakBytes, pinnedBytes + memory.totalBytes);
        } else {
          verdict = 'cannot-run';
          contexts = group.minimums;
          memory = minimal;
        }
      }
    }
    if (verdict === 'fits' || verdict === 'fits-smaller-context') {
      residentBytes += memory.totalBytes;
      if (group.pinned) pinnedBytes += memory.totalBytes;
    }
    placements.push(toPlacement(group, verdict, contexts, memory));
  }

  const headroomBytes = budgetBytes - residentBytes;
  const nextProfile = options.catalog?.profiles.filter((other) => other.memoryGb < profile.memoryGb).sort((a, b) => b.memoryGb - a.memoryGb)[0];
  for (const placement of placements) {
    const group = groups.find((candidate) => candidate.modelId === placement.modelId)!;
    placement.suggestions = suggest({
      placement,
      group,
      catalog: options.catalog,
      nextProfileId: nextProfile?.id,
      spaceBeside: budgetBytes - (residentBytes - (isResident(placement.verdict) ? placement.totalBytes : 0)),
      spaceAlone: budgetBytes - (pinnedBytes - (placement.pinned && isResident(placement.verdict) ? placement.totalBytes : 0)),
      budgetBytes,
      pinnedIds: placements.filter((other) => other.pinned && other.modelId !== placement.modelId).map((other) => other.modelId),
      estimate,
    });
  }

  const ok = placements.every((placement) => placement.verdict !== 'cannot-run' && (placement.verdict !== 'must-swap' || placement.onDemand));
  // On-demand models that happen to fit are evicted first when memory is needed, so they do not count as taken.
  const onDemandResident = placements.filter((placement) => placement.onDemand && isResident(placement.verdict)).reduce((sum, placement) => sum + placement.totalBytes, 0);
  if (headroomBytes + onDemandResident < budgetBytes * TIGHT_HEADROOM_FRACTION) {
    warnings.push(`Only ${formatGiB(headroomBytes + onDemandResident)} of the ${formatGiB(budgetBytes)} budget is left for longer prompts and other apps; consider smaller contexts.`);
  }
  if (machine.freeMemoryBytes < residentBytes) {
    warnings.push(
      `The OS reports ${formatGiB(machine.freeMemoryBytes)} free but the resident set needs ${formatGiB(residentBytes)}; quit other apps first or macOS will compress and swap.`,
    );
  }
  const suggestions: PlacementSuggestion[] = [];
  if (!ok && nextProfile) {
    suggestions.push({ kind: 'smaller-profile', profileId: nextProfile.id, message: `Use the ${nextProfile.memoryGb} GB profile: --profile ${nextProfile.id}.` });
  }

  const roles: RolePlacement[] = [];
  for (const role of ROLE_ORDER) {
    const placement = placements.find((candidate) => candidate.roles.includes(role));
    const context = placement?.contexts.find((candidate) => candidate.role === role);
    if (placement && context) roles.push({ ...context, modelId: placement.modelId, verdict: placement.verdict });
  }

  return {
    profileId: profile.id,
    totalMemoryBytes: machine.totalMemoryBytes,
    freeMemoryBytes: machine.freeMemoryBytes,
    reserveBytes,
    budgetBytes,
    limitedBy,
    residentBytes,
    headroomBytes,
    swapPeakBytes,
    loadOrder: placements.map((placement) => placement.modelId),
    models: placements,
    roles,
    ok,
    warnings,
    suggestions,
  };
}

function groupByModel(
  profile: CatalogProfile,
  models: Record<string, ModelFacts>,
  minimumContext: Record<PlacementRole, number>,
  extraPinned: Set<string>,
  warnings: string[],
): ModelGroup[] {
  const groups = new Map<string, ModelGroup>();
  ROLE_ORDER.forEach((role, roleIndex) => {
    const assignment: RoleAssignment | undefined = profile.roles[role];
    if (!assignment) return;
    const facts = models[assignment.model];
    if (!facts) throw new MissingModelFactsError({ modelId: assignment.model, reason: `profile ${profile.id} uses it for ${role} but no facts were given` });
    const minimum = minimumContext[role];
    let requested = assignment.contextSize;
    if (requested < minimum) {
      warnings.push(`${role}: context ${requested} is below the minimum ${minimum}; planning ${minimum}.`);
      requested = minimum;
    }
    if (requested > facts.trainedContext) {
      warnings.push(`${role}: context ${requested} exceeds ${assignment.model}'s trained ${facts.trainedContext}; planning ${facts.trainedContext}.`);
      requested = facts.trainedContext;
    }
    const group =
      groups.get(assignment.model) ??
      ({
        modelId: assignment.model,
        facts,
        roles: [],
        requested: [],
        minimums: [],
        pinned: extraPinned.has(assignment.model),
        priority: Number.NEGATIVE_INFINITY,
        onDemand: true,
        gpuLayers: assignment.gpuLayers,
        firstRoleIndex: roleIndex,
        tooShort: false,
      } satisfies ModelGroup);
    group.roles.push(role);
    group.requested.push(requested);
    group.minimums.push(Math.min(minimum, requested));
    group.pinned ||= assignment.pinned;
    group.priority = Math.max(group.priority, assignment.priority);
    group.onDemand &&= assignment.onDemand;
    group.tooShort ||= facts.trainedContext < minimum;
    groups.set(assignment.model, group);
  });
  for (const group of groups.values()) group.onDemand &&= !group.pinned;
  return [...groups.values()];
}

/** The largest contexts (a common fraction of those requested, never below the minimums) that fit in `space`. */
function largestFitting(
  group: ModelGroup,
  space: number,
  estimate: (facts: ModelFacts, contextSizes: number[]) => ModelMemoryEstimate,
): { contexts: number[]; memory: ModelMemoryEstimate } | undefined {
  const at = (step: number) =>
    group.requested.map((requested, index) =>
      Math.max(group.minimums[index]!, Math.floor((requested * step) / SHRINK_STEPS / CONTEXT_GRANULARITY) * CONTEXT_GRANULARITY),
    );
  const fitsAt = (step: number) => estimate(group.facts, at(step)).totalBytes <= space;
  if (!fitsAt(0)) return undefined;
  let low = 0;
  let high = SHRINK_STEPS;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fitsAt(middle)) low = middle;
    else high = middle - 1;
  }
  const contexts = at(low);
  return { contexts, memory: estimate(group.facts, contexts) };
}

function toPlacement(group: ModelGroup, verdict: PlacementVerdict, contexts: number[], memory: ModelMemoryEstimate): ModelPlacement {
  const contextPlacements: ContextPlacement[] = group.roles.map((role, index) => ({
    role,
    requestedContext: group.requested[index]!,
    contextSize: contexts[index]!,
    minimumContext: group.minimums[index]!,
    kvCacheBytes: memory.contexts[index]!.kvCacheBytes,
    computeBytes: memory.contexts[index]!.computeBytes,
  }));
  return {
    modelId: group.modelId,
    roles: group.roles,
    verdict,
    pinned: group.pinned,
    priority: group.priority,
    onDemand: group.onDemand,
    gpuLayers: group.gpuLayers,
    contexts: contextPlacements,
    weightsBytes: memory.weightsBytes,
    kvCacheBytes: memory.kvCacheBytes,
    computeBytes: memory.computeBytes,
    totalBytes: memory.totalBytes,
    suggestions: [],
  };
}

function suggest(options: {
  placement: ModelPlacement;
  group: ModelGroup;
  catalog: ModelCatalog | undefined;
  nextProfileId: string | undefined;
  /** Bytes this model could use while everything else resident stays. */
  spaceBeside: number;
  /** Bytes this model could use beside the pinned models only. */
  spaceAlone: number;
  budgetBytes: number;
  pinnedIds: string[];
  estimate: (facts: ModelFacts, contextSizes: number[]) => ModelMemoryEstimate;
}): PlacementSuggestion[] {
  const { placement, group, catalog } = options;
  const suggestions: PlacementSuggestion[] = [];
  if (placement.verdict === 'fits') return suggestions;
  if (placement.verdict === 'fits-smaller-context') {
    for (const context of placement.contexts) {
      if (context.contextSize < context.requestedContext) {
        suggestions.push({
          kind: 'lower-context',
          modelId: placement.modelId,
          contextSize: context.contextSize,
          message: `${context.role} runs with ${context.contextSize} tokens instead of ${context.requestedContext}; set contextSize ${context.contextSize} to make that explicit.`,
        });
      }
    }
  }
  const unplannedSwap = placement.verdict === 'must-swap' && !placement.onDemand;
  const current = catalog?.models.find((model) => model.id === placement.modelId);
  const wantsSmaller = !group.tooShort && (placement.verdict === 'fits-smaller-context' || placement.verdict === 'cannot-run' || unplannedSwap);
  if (current && wantsSmaller) {
    // Same family means same architecture, so only the file size differs.
    const smaller = (catalog?.models ?? [])
      .filter((model) => model.family === current.family && model.fileSizeBytes < current.fileSizeBytes)
      .sort((a, b) => b.fileSizeBytes - a.fileSizeBytes);
    const space = placement.verdict === 'cannot-run' ? options.spaceAlone : options.spaceBeside;
    const contexts = placement.verdict === 'fits-smaller-context' ? group.requested : group.minimums;
    const fitting = smaller.find(
      (model) => options.estimate({ ...group.facts, fileSizeBytes: model.fileSizeBytes, estimateWeightsBytes: undefined }, contexts).totalBytes <= space,
    );
    if (fitting) {
      suggestions.push({
        kind: 'smaller-quant',
        modelId: fitting.id,
        message: `${fitting.id} (${fitting.quantization}, ${formatGiB(fitting.fileSizeBytes)}) is the same model in a smaller quantization and fits.`,
      });
    }
  }
  if (unplannedSwap) {
    suggestions.push({
      kind: 'on-demand',
      modelId: placement.modelId,
      message: `${placement.modelId} cannot stay resident beside the others; mark its roles onDemand to swap it in when needed, or lower the other models' contexts.`,
    });
  }
  if (placement.verdict === 'cannot-run') {
    if (group.tooShort) {
      suggestions.push({
        kind: 'other-model',
        modelId: placement.modelId,
        message: `${placement.modelId} was trained on ${group.facts.trainedContext} tokens, fewer than ${group.roles.join(' and ')} need; choose another model.`,
      });
    } else if (options.pinnedIds.length > 0 && placement.totalBytes <= options.budgetBytes) {
      suggestions.push({ kind: 'unpin', message: `It fits only if ${options.pinnedIds.join(', ')} can be evicted; unpin them.` });
    }
  }
  if (((placement.verdict === 'cannot-run' && !group.tooShort) || unplannedSwap) && options.nextProfileId) {
    suggestions.push({ kind: 'smaller-profile', profileId: options.nextProfileId, message: `Use the next tier down: --profile ${options.nextProfileId}.` });
  }
  return suggestions;
}

function isResident(verdict: PlacementVerdict): boolean {
  return verdict === 'fits' || verdict === 'fits-smaller-context';
}

function formatGiB(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}
