import { z } from 'zod';

/** Why an attempt failed, recorded so later work can learn from it. */
export const failureTypeSchema = z.enum(['patch', 'environment', 'localization', 'scope', 'bite', 'review', 'timeout']);

export type FailureType = z.infer<typeof failureTypeSchema>;
