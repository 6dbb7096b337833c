import { z } from 'zod';

/** Who holds a Nightshift lock file: written as JSON into it, read back by the next process that finds it. */
export const lockOwnerSchema = z.object({
  /** Process id of the holder, meaningful only on `host`. */
  pid: z.number().int().positive(),
  /** Host name of the machine the holder runs on. */
  host: z.string(),
  /** When the holder took the lock, epoch milliseconds. */
  startedAt: z.number(),
  /** The session the holder runs, once it has one. */
  sessionId: z.string().optional(),
  /** What the holder was started as, e.g. `nightshift run ./project`. */
  command: z.string(),
});

export type LockOwner = z.infer<typeof lockOwnerSchema>;
