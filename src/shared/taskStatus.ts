import { z } from 'zod';

/** Lifecycle of one task within a session. */
export const taskStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'deadlocked', 'escalated', 'skipped']);

export type TaskStatus = z.infer<typeof taskStatusSchema>;
