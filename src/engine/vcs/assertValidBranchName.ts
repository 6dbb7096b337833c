import { InvalidBranchNameError } from './InvalidBranchNameError.js';

/** A simplified `git check-ref-format --branch`, plus names that would be ambiguous with other refs. */
export function assertValidBranchName(branch: string): void {
  const reason = branchNameProblem(branch);
  if (reason !== null) throw new InvalidBranchNameError({ branch, reason });
}

function branchNameProblem(branch: string): string | null {
  if (branch === '' || branch === '@' || branch === 'HEAD') return 'reserved or empty';
  if (branch.startsWith('-')) return 'starts with "-"';
  if (branch.startsWith('refs/')) return 'starts with "refs/" (give the name without refs/heads/)';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(branch)) return 'contains a space, control character or one of ~^:?*[\\';
  if (branch.includes('..') || branch.includes('@{')) return 'contains ".." or "@{"';
  if (branch.endsWith('.')) return 'ends with "."';
  for (const component of branch.split('/')) {
    if (component === '') return 'has an empty path component (leading, trailing or double "/")';
    if (component.startsWith('.')) return 'has a path component starting with "."';
    if (component.endsWith('.lock')) return 'has a path component ending with ".lock"';
  }
  return null;
}
