import type { TaskContext } from './TaskContext.js';

/** What every phase of an attempt is given. */
export interface PhaseOptions {
  ctx: TaskContext;
  /** The task as the prompts show it (`formatTaskText`). */
  taskText: string;
  /** The attempt's number, 1-based. */
  attempt: number;
  /** The previous attempt's failure feedback; empty on the first. */
  feedback: string;
}
