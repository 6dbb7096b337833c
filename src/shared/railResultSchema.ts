import { z } from 'zod';
import { failureTypeSchema } from './failureType.js';

/** The deterministic rails, in the order they are reported. */
export const railNameSchema = z.enum([
  'path-safety',
  'protected-paths',
  'scope',
  'syntax',
  'lint',
  'typecheck',
  'test-integrity',
  'diff-size',
  'stubs',
  'bite',
  'suite',
]);

export type RailName = z.infer<typeof railNameSchema>;

/**
 * One rail's outcome. A rail with nothing to check passes with a detail saying why; a rail that could not
 * run because an earlier rail made it meaningless or unsafe is `skipped` (and does not pass).
 */
export const railResultSchema = z.object({
  name: railNameSchema,
  passed: z.boolean(),
  skipped: z.boolean().optional(),
  /** Human-readable explanation; command output is cut to 8 KB. */
  detail: z.string(),
  /** Set when the rail failed. */
  failureType: failureTypeSchema.optional(),
  /** The file the failure is about, when there is one (feeds the fingerprint). */
  file: z.string().optional(),
  /** Wall-clock time the rail took, in milliseconds; absent for a rail recorded before it was timed. */
  durationMs: z.number().int().nonnegative().optional(),
});

export type RailResult = z.infer<typeof railResultSchema>;
