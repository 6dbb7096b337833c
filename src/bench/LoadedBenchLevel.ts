import type { BenchLevel } from '../shared/benchLevelSchema.js';
import type { TaskSpec } from '../shared/taskSpecSchema.js';

/** A level folder read and checked (`loadBenchLevel`). */
export interface LoadedBenchLevel {
  /** Absolute path of the level folder. */
  dir: string;
  level: BenchLevel;
  /** TASKS.md parsed, in backlog order. */
  tasks: TaskSpec[];
  /** Task ids that have a `hidden/<taskId>/` folder of acceptance tests, in backlog order. */
  hiddenTaskIds: string[];
}
