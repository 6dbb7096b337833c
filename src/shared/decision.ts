import { z } from 'zod';

/** DECIDE's outcome for one attempt. */
export const decisionSchema = z.enum(['COMMIT', 'RETRY', 'DEADLOCK', 'ESCALATE']);

export type Decision = z.infer<typeof decisionSchema>;
