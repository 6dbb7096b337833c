import type { PhaseName } from '../phaseName.js';

/** Where in the loop a model call happens; backends may ignore it, the scripted backend answers by it. */
export interface ModelCallMeta {
  taskId: string;
  phase: PhaseName;
  /** 1-based attempt number within the task. */
  attempt: number;
}
