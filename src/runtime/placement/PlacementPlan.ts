import type { PlacementRole } from '../catalog/placementRoleSchema.js';

/** The machine a plan is for. Bytes throughout. */
export interface MachineInfo {
  totalMemoryBytes: number;
  /** What the OS reports free now (on macOS this leaves out reclaimable cache, so it reads low). */
  freeMemoryBytes: number;
  /** Metal's recommended maximum working set, the most the GPU should hold; Apple Silicon only. */
  metalWorkingSetBytes?: number;
  /** CPU and GPU share one memory (Apple Silicon). */
  unified: boolean;
}

/**
 * `fits`: resident at the requested contexts. `fits-smaller-context`: resident with smaller contexts, never
 * below each role's minimum. `must-swap`: cannot stay resident beside the others but runs alone (beside
 * pinned models), so it is loaded when needed. `cannot-run`: does not fit even alone at minimum context.
 */
export type PlacementVerdict = 'fits' | 'fits-smaller-context' | 'must-swap' | 'cannot-run';

export interface PlacementSuggestion {
  kind: 'smaller-quant' | 'lower-context' | 'smaller-profile' | 'unpin' | 'on-demand' | 'other-model';
  message: string;
  modelId?: string;
  profileId?: string;
  contextSize?: number;
}

export interface ContextPlacement {
  role: PlacementRole;
  /** What the profile asked for (raised to the minimum, capped at the trained context). */
  requestedContext: number;
  /** What the plan gives it; for `cannot-run`, the minimum. */
  contextSize: number;
  minimumContext: number;
  kvCacheBytes: number;
  computeBytes: number;
}

export interface ModelPlacement {
  modelId: string;
  roles: PlacementRole[];
  verdict: PlacementVerdict;
  pinned: boolean;
  priority: number;
  /** Planned to be swapped in when needed. */
  onDemand: boolean;
  gpuLayers: number | 'max';
  contexts: ContextPlacement[];
  /** Counted once however many roles share the model. */
  weightsBytes: number;
  kvCacheBytes: number;
  computeBytes: number;
  totalBytes: number;
  suggestions: PlacementSuggestion[];
}

export interface RolePlacement extends ContextPlacement {
  modelId: string;
  verdict: PlacementVerdict;
}

export interface PlacementPlan {
  profileId: string;
  totalMemoryBytes: number;
  freeMemoryBytes: number;
  reserveBytes: number;
  /** The most all models together may take: total minus reserve, or Metal's working set if smaller. */
  budgetBytes: number;
  limitedBy: 'reserve' | 'metal-working-set';
  /** Models that stay resident (`fits` and `fits-smaller-context`). */
  residentBytes: number;
  /** budgetBytes minus residentBytes. */
  headroomBytes: number;
  /** Most memory in use while a `must-swap` model is loaded beside the pinned ones; 0 when none swaps. */
  swapPeakBytes: number;
  /** Models in the order they load: pinned, then resident before on-demand, then priority, then role order. */
  loadOrder: string[];
  /** One entry per distinct model, in load order. */
  models: ModelPlacement[];
  /** One entry per role, in role order. */
  roles: RolePlacement[];
  /** No model is `cannot-run` and only on-demand models swap. */
  ok: boolean;
  warnings: string[];
  suggestions: PlacementSuggestion[];
}
