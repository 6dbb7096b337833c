import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/** Name of a project's package-cache volume, `nightshift-deps-<12 hex digits of the project path's SHA-256>`. */
export function dependencyCacheVolume(options: {
  /** Project root; resolved first, so one project always gets one volume. */
  projectDir: string;
}): string {
  return `nightshift-deps-${createHash('sha256').update(resolve(options.projectDir)).digest('hex').slice(0, 12)}`;
}
