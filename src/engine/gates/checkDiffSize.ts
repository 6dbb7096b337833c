import type { RailResult } from '../../shared/railResultSchema.js';
import type { FileChange } from '../ports/Vcs.js';
import { lineChanges } from './lineChanges.js';

/** Rail `diff-size`: added plus removed lines over all changes must not exceed `maxDiffLines`. */
export function checkDiffSize(options: {
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Largest allowed added+removed line count. */
  maxDiffLines: number;
}): RailResult {
  let added = 0;
  let removed = 0;
  let largest: { path: string; lines: number } | null = null;
  for (const change of options.changes) {
    const lines = lineChanges(change);
    added += lines.added.length;
    removed += lines.removedCount;
    const size = lines.added.length + lines.removedCount;
    if (largest === null || size > largest.lines) largest = { path: change.path, lines: size };
  }
  const total = added + removed;
  const summary = `${total} changed lines (+${added} -${removed}), limit ${options.maxDiffLines}`;
  if (total <= options.maxDiffLines) return { name: 'diff-size', passed: true, detail: summary };
  return {
    name: 'diff-size',
    passed: false,
    failureType: 'scope',
    ...(largest ? { file: largest.path } : {}),
    detail: `the change is too large: ${summary}; largest is ${largest?.path} with ${largest?.lines} lines. Make a smaller change.`,
  };
}
