import { z } from 'zod';
import { fileEditSchema } from './fileEditSchema.js';

/** The coder's output for RED (the test) and GREEN (the code). */
export const coderOutputSchema = z.object({
  /** One or two sentences on what the edits do. */
  explanation: z.string(),
  edits: z.array(fileEditSchema).min(1),
});

export type CoderOutput = z.infer<typeof coderOutputSchema>;
