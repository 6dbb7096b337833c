import { z } from 'zod';

/** The loop's phases, in order. */
export const phaseNameSchema = z.enum(['plan', 'red', 'green', 'gates', 'review', 'decide', 'deliver']);

export type PhaseName = z.infer<typeof phaseNameSchema>;
