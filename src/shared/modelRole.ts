import { z } from 'zod';

/** The roles a session's models play. */
export const modelRoleSchema = z.enum(['brain', 'coder', 'qa']);

export type ModelRole = z.infer<typeof modelRoleSchema>;
