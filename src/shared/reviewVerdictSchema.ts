import { z } from 'zod';

/** The QA reviewer's structured verdict. */
export const reviewVerdictSchema = z.object({
  verdict: z.enum(['GO', 'NO_GO']),
  /** Text copied from the task that the verdict judges against; must occur literally in the task. */
  quotedAsk: z.string().min(1),
  findings: z.array(
    z.object({
      severity: z.enum(['blocking', 'minor']),
      file: z.string().optional(),
      line: z.number().int().positive().optional(),
      message: z.string().min(1),
    }),
  ),
  summary: z.string(),
});

export type ReviewVerdict = z.infer<typeof reviewVerdictSchema>;
