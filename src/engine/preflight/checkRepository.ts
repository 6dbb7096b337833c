import { NightshiftError } from '../../shared/NightshiftError.js';
import type { Vcs } from '../ports/Vcs.js';
import type { PreflightCheck } from './PreflightCheck.js';

/**
 * The repository checks: a git repository with a commit to start from (a detached HEAD is a warning: the
 * night starts from that commit), and what a workspace will lack: submodules become empty folders and Git
 * LFS files stay pointer files, since workspaces are written from git objects alone.
 */
export async function checkRepository(options: {
  vcs: Vcs;
  /** The user's repository (any folder inside it). */
  repoDir: string;
  /** Commit the night starts from. Default: HEAD. */
  commitOid?: string;
}): Promise<PreflightCheck[]> {
  const base = { id: 'repository', title: 'git repository with a commit' };
  let repo;
  try {
    repo = await options.vcs.inspectRepo({ repoDir: options.repoDir });
  } catch (error) {
    const fix = error instanceof NightshiftError ? error.hint : 'Run Nightshift on a git repository with at least one commit.';
    return [{ ...base, status: 'failed', detail: error instanceof Error ? error.message : String(error), fix }];
  }
  const commitOid = options.commitOid ?? repo.headOid;
  const checks: PreflightCheck[] = [
    repo.currentBranch === null
      ? {
          ...base,
          status: 'warning',
          detail: `HEAD is detached at ${repo.headOid.slice(0, 12)}: the night starts from this commit and delivers to its own nightshift/<session> branch.`,
          fix: 'Check out the branch you want the work based on (git switch <branch>) if this commit is not it.',
        }
      : { ...base, status: 'ok', detail: `${repo.root} on ${repo.currentBranch} at ${repo.headOid.slice(0, 12)}`, fix: '' },
  ];
  const read = (path: string) => options.vcs.readFileAt({ repoDir: repo.root, commitOid, path });
  const modules = [...((await read('.gitmodules')) ?? '').matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)].map((match) => match[1] as string);
  if (modules.length > 0) {
    checks.push({
      id: 'submodules',
      title: 'submodules',
      status: 'warning',
      detail: `The workspace will not have the submodules ${modules.join(', ')}: they become empty folders, so code or tests that need them fail.`,
      fix: 'Vendor what the tests need into the repository, or set testCommand in nightshift.json to leave those parts out.',
    });
  }
  const lfsPatterns = ((await read('.gitattributes')) ?? '')
    .split('\n')
    .filter((line) => /\sfilter=lfs(\s|$)/.test(line))
    .map((line) => line.trim().split(/\s+/)[0] as string);
  if (lfsPatterns.length > 0) {
    checks.push({
      id: 'lfs',
      title: 'Git LFS files',
      status: 'warning',
      detail: `Files matching ${lfsPatterns.join(', ')} are stored with Git LFS: the workspace has their pointer files, not their content.`,
      fix: 'Keep files the tests read out of LFS, or make the tests skip when they find a pointer file.',
    });
  }
  return checks;
}
