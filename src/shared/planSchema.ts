import { z } from 'zod';

/** The brain's PLAN output: what the coder will build and how "done" is proven. */
export const planSchema = z.object({
  /** The task in the planner's own words, one or two sentences. */
  restatement: z.string().min(1),
  /** The one test file RED writes, relative to the repository root. */
  testFile: z.string().min(1),
  /** Files GREEN may create or change (the test file excluded). */
  targetFiles: z.array(z.string().min(1)).min(1),
  /** Import lines the test and code need, verbatim (the seeds' "Required imports" block). */
  requiredImports: z.array(z.string()),
  /** Every item is a command that can be run to prove the task is done. */
  definitionOfDone: z
    .array(z.object({ description: z.string().min(1), command: z.string().min(1) }))
    .min(1),
});

export type Plan = z.infer<typeof planSchema>;
