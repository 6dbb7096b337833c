import { z } from 'zod';

/** One unit of work from a backlog, a PRD import, the CLI or a `nightshift gate` task file. */
export const taskSpecSchema = z.object({
  /** Stable id within the backlog, e.g. `T1` or `add-divide`. */
  id: z.string().min(1).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'task ids use letters, digits, ".", "_" and "-"'),
  title: z.string().min(1),
  /** Free text: the ask the reviewer must quote from. */
  description: z.string().default(''),
  /** Ids of tasks that must be committed first; a failed dependency skips this task. */
  dependsOn: z.array(z.string()).default([]),
  /** Files the task may change, relative to the repository root. Empty means "let the planner choose". */
  targetFiles: z.array(z.string()).default([]),
  /** Overrides the project's test command for this task. */
  testCommand: z.string().optional(),
});

export type TaskSpec = z.infer<typeof taskSpecSchema>;
