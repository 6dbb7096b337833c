import type { RailResult } from '../../shared/railResultSchema.js';
import type { FileChange } from '../ports/Vcs.js';
import { normalizeRelativePath } from './normalizeRelativePath.js';

/**
 * Rail `scope`: an existing file may be modified or deleted only if the plan names it (as a target or test
 * file). New files are allowed; they cannot break what was there.
 */
export function checkScope(options: {
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Files the plan allows to change. */
  plannedFiles: string[];
  /** Test files the plan allows to change. */
  testFiles: string[];
}): RailResult {
  const allowed = new Set([...options.plannedFiles, ...options.testFiles].map(normalizeRelativePath));
  const outside = options.changes.filter((change) => change.before !== null && !allowed.has(normalizeRelativePath(change.path)));
  if (outside.length === 0) return { name: 'scope', passed: true, detail: 'every changed existing file is in the plan' };
  return {
    name: 'scope',
    passed: false,
    failureType: 'scope',
    file: outside[0]?.path,
    detail: [
      ...outside.map((change) => `${change.path} is ${change.after === null ? 'deleted' : 'modified'} but is not in the plan`),
      `planned: ${[...allowed].join(', ') || '(none)'}`,
    ].join('\n'),
  };
}
