import type { RailResult } from '../../shared/railResultSchema.js';
import type { FileChange } from '../ports/Vcs.js';
import { builtinProtectedPaths } from './builtinProtectedPaths.js';
import { compileGlob } from './compileGlob.js';
import { normalizeRelativePath } from './normalizeRelativePath.js';

/** Rail `protected-paths`: no change may touch a built-in protected path or one from `protectedPaths`. */
export function checkProtectedPaths(options: {
  /** Every touched file with its content before and after the change. */
  changes: FileChange[];
  /** Extra patterns from nightshift.json (`protectedPaths`). */
  protectedPaths: string[];
}): RailResult {
  const rules = [
    ...builtinProtectedPaths,
    ...options.protectedPaths.map((pattern) => ({ pattern, why: 'listed in nightshift.json protectedPaths' })),
  ].map((rule) => ({ ...rule, regex: compileGlob(rule.pattern) }));
  const hits: Array<{ path: string; pattern: string; why: string }> = [];
  for (const change of options.changes) {
    const path = normalizeRelativePath(change.path);
    const rule = rules.find((candidate) => candidate.regex.test(path));
    if (rule) hits.push({ path: change.path, pattern: rule.pattern, why: rule.why });
  }
  if (hits.length === 0) return { name: 'protected-paths', passed: true, detail: 'no protected path is touched' };
  return {
    name: 'protected-paths',
    passed: false,
    failureType: 'scope',
    file: hits[0]?.path,
    detail: hits.map((hit) => `${hit.path} is protected (${hit.why}; pattern ${JSON.stringify(hit.pattern)})`).join('\n'),
  };
}
