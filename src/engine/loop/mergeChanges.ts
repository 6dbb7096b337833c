import type { FileChange } from '../ports/Vcs.js';

/**
 * Composes change sets applied one after another into one set relative to the first `before`, dropping
 * files that end where they started.
 */
export function mergeChanges(options: { sets: FileChange[][] }): FileChange[] {
  const byPath = new Map<string, FileChange>();
  for (const set of options.sets) {
    for (const change of set) {
      const earlier = byPath.get(change.path);
      byPath.set(change.path, { path: change.path, before: earlier ? earlier.before : change.before, after: change.after });
    }
  }
  return [...byPath.values()].filter((change) => change.before !== change.after);
}
