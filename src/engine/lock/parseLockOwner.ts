import { lockOwnerSchema, type LockOwner } from './lockOwnerSchema.js';

/** The owner a lock file's text names, or null when it is not a lock Nightshift wrote. */
export function parseLockOwner(text: string): LockOwner | null {
  try {
    const parsed = lockOwnerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
