import type { TaskStatus } from '../../../shared/taskStatus.js';

export interface TaskOutcome {
  status: TaskStatus;
  reason: string;
  /** New commit on the delivery branch when delivered. */
  commit: string | null;
}
