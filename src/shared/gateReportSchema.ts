import { z } from 'zod';
import { railResultSchema } from './railResultSchema.js';

/** What `nightshift gate --json` prints and what GATES records per attempt. */
export const gateReportSchema = z.object({
  verdict: z.enum(['GO', 'NO_GO']),
  rails: z.array(railResultSchema),
  /** Fingerprint of the first failing rail; null on GO. */
  fingerprint: z.string().regex(/^[0-9a-f]{12}$/).nullable(),
});

export type GateReport = z.infer<typeof gateReportSchema>;
