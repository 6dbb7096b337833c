import { z } from 'zod';

/*
 * The Models view's messages (`models/machine`, `models/plan`, `models/profile`): requests as zod schemas,
 * answers as plain types that mirror the runtime's placement plan, which `src/shared` cannot import.
 */

/** The roles a profile assigns models to, in load tie-break order. */
export const modelsPlanRoles = ['brain', 'coder', 'qa', 'embedding'] as const;

export type ModelsPlanRole = (typeof modelsPlanRoles)[number];

/** `fits` / `fits-smaller-context` (resident) / `must-swap` (loaded only when needed) / `cannot-run`. */
export type ModelsPlanVerdict = 'fits' | 'fits-smaller-context' | 'must-swap' | 'cannot-run';

/** One role as the profile editor edits it. */
const roleDraftSchema = z
  .object({
    /** A model id of the catalog. */
    model: z.string().min(1),
    /** Context window in tokens; at least the role's minimum, at most the model's trained context. */
    contextSize: z.number().int().positive(),
    /** Layers offloaded to the GPU: `max` (everything, right on Apple Silicon) or a count. */
    gpuLayers: z.union([z.literal('max'), z.number().int().nonnegative()]),
    /** Loaded first and never evicted. */
    pinned: z.boolean(),
  })
  .strict();

export type ModelsRoleDraft = z.infer<typeof roleDraftSchema>;

/** A profile as edited: which catalog profile it changes, and every role it has. */
export const modelsProfileDraftSchema = z
  .object({
    /** The catalog profile the edits apply to, e.g. `mac-24gb`. */
    id: z.string().min(1),
    roles: z.object({ brain: roleDraftSchema, coder: roleDraftSchema, qa: roleDraftSchema, embedding: roleDraftSchema.optional() }).strict(),
  })
  .strict();

export type ModelsProfileDraft = z.infer<typeof modelsProfileDraftSchema>;

/** What-if memory, in GB as Apple sells them (GiB): plan for an Apple Silicon Mac with this much. */
const whatIfMemorySchema = z.number().int().min(8).max(1024);

export const modelsMachineRequestSchema = z.object({}).strict();

export const modelsPlanRequestSchema = z
  .object({
    /** The profile as edited; absent: the saved profile of the machine's tier. */
    profile: modelsProfileDraftSchema.optional(),
    /** Plan for a simulated Mac with this much memory instead of this machine. */
    memoryGb: whatIfMemorySchema.optional(),
    /** An opened project whose `nightshift.models.json` applies on top of the global overrides. */
    projectPath: z.string().min(1).optional(),
  })
  .strict();

export const modelsProfileRequestSchema = z
  .object({
    /** `global`: `<dataDir>/models.json`, every project; `project`: the project's `nightshift.models.json`. */
    scope: z.enum(['global', 'project']),
    /** The opened project, for `project` scope (and whose overrides the answer's plan applies). */
    projectPath: z.string().min(1).optional(),
    profile: modelsProfileDraftSchema,
    /** What-if memory the answer's plan is for, as in `models/plan`. */
    memoryGb: whatIfMemorySchema.optional(),
  })
  .strict();

/** The machine models are planned for. Bytes throughout. */
export interface ModelsMachine {
  /** e.g. `Apple M3 Pro`, or `Apple Silicon (simulated)`. */
  chip: string;
  /** A test option or what-if memory, not this machine's own numbers. */
  simulated: boolean;
  /** CPU and GPU share one memory (Apple Silicon). */
  unified: boolean;
  totalMemoryBytes: number;
  freeMemoryBytes: number;
  /** Metal's recommended maximum working set; null off Apple Silicon. */
  metalWorkingSetBytes: number | null;
  /** Left to the OS and apps. */
  reserveBytes: number;
  /** The most all models together may take: total minus reserve, or Metal's working set if smaller. */
  budgetBytes: number;
  limitedBy: 'reserve' | 'metal-working-set';
  /** The memory tier (profile) the machine falls in; null below the smallest. */
  tier: { profileId: string; memoryGb: number } | null;
  /** Every tier the catalog has, in GB, smallest first. */
  tiers: number[];
  /** Where model files are stored. */
  modelsDir: string;
  /** Free space there; null when it cannot be read. */
  diskFreeBytes: number | null;
}

export interface ModelsPlanSuggestion {
  kind: 'smaller-quant' | 'lower-context' | 'smaller-profile' | 'unpin' | 'on-demand' | 'other-model';
  message: string;
  modelId?: string;
  profileId?: string;
  contextSize?: number;
}

export interface ModelsPlanContext {
  role: ModelsPlanRole;
  requestedContext: number;
  contextSize: number;
  minimumContext: number;
  kvCacheBytes: number;
  computeBytes: number;
}

/** One model of the plan; its memory counts its weights once however many roles share it. */
export interface ModelsPlanModel {
  modelId: string;
  roles: ModelsPlanRole[];
  verdict: ModelsPlanVerdict;
  pinned: boolean;
  priority: number;
  /** Meant to be swapped in when needed. */
  onDemand: boolean;
  gpuLayers: number | 'max';
  contexts: ModelsPlanContext[];
  weightsBytes: number;
  kvCacheBytes: number;
  computeBytes: number;
  totalBytes: number;
  suggestions: ModelsPlanSuggestion[];
}

/** The runtime's placement plan (src/runtime/placement/PlacementPlan.ts) as it crosses the protocol. */
export interface ModelsPlacementPlan {
  profileId: string;
  totalMemoryBytes: number;
  freeMemoryBytes: number;
  reserveBytes: number;
  budgetBytes: number;
  limitedBy: 'reserve' | 'metal-working-set';
  residentBytes: number;
  headroomBytes: number;
  swapPeakBytes: number;
  loadOrder: string[];
  models: ModelsPlanModel[];
  roles: Array<ModelsPlanContext & { modelId: string; verdict: ModelsPlanVerdict }>;
  ok: boolean;
  warnings: string[];
  suggestions: ModelsPlanSuggestion[];
}

/** A catalog model the editor offers. */
export interface ModelsChoice {
  id: string;
  name: string;
  quantization: string;
  fileSizeBytes: number;
  trainedContext: number;
  goodFor: ModelsPlanRole[];
}

/** What `models/plan` and `models/profile` answer: the plan of a profile on a machine, in numbers and words. */
export interface ModelsPlanView {
  machine: ModelsMachine;
  /** The profile planned (catalog, overrides, then the request's edits), with its tier and description. */
  profile: ModelsProfileDraft & { memoryGb: number; description: string };
  minimumContext: Record<ModelsPlanRole, number>;
  choices: ModelsChoice[];
  plan: ModelsPlacementPlan;
  /**
   * The whole set's verdict: the worst of its models', where a model the profile marks on demand swapping in
   * counts as planned (`fits`).
   */
  verdict: ModelsPlanVerdict;
  /** What the verdict means and what to do, in words. */
  suggestion: string;
}

/** What `models/profile` answers: where the override was written, and the plan with it. */
export interface ModelsProfileSaved extends ModelsPlanView {
  /** The override file written. */
  path: string;
}
