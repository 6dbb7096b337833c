import { z } from 'zod';

/**
 * One structured edit proposed by the coder. Paths are relative to the repository root and are
 * validated (no absolute paths, `..`, symlink escapes or `.git`) before anything touches disk.
 */
export const fileEditSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('write'), path: z.string().min(1), content: z.string() }),
  z.object({
    kind: z.literal('replace'),
    path: z.string().min(1),
    /** Exact text that must occur once in the current file. */
    search: z.string().min(1),
    replace: z.string(),
  }),
  z.object({ kind: z.literal('delete'), path: z.string().min(1) }),
]);

export type FileEdit = z.infer<typeof fileEditSchema>;
