import { z } from 'zod';
import type { NightshiftErrorData } from './NightshiftErrorData.js';

/** Validates a `NightshiftErrorData` received from another process, cause chain included. */
export const nightshiftErrorDataSchema: z.ZodType<NightshiftErrorData> = z.lazy(() =>
  z
    .object({
      name: z.string(),
      code: z.string().min(1),
      message: z.string(),
      hint: z.string(),
      context: z.record(z.string(), z.unknown()),
      cause: nightshiftErrorDataSchema.optional(),
    })
    .strict(),
);
