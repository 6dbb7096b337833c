import type { RoleGroup } from './RoleGroup.js';

/** A file read and sized, not yet loaded, with the residency settings its roles give it. */
export interface InspectedGroup {
  group: RoleGroup;
  modelId: string;
  gpuLayers: number;
  /** GgufInsights' estimate for the weights plus every role's context, RAM and VRAM together. */
  estimatedBytes: number;
  pinned: boolean;
  onDemand: boolean;
  priority: number;
}
