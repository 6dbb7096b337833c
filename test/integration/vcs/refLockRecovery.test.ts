import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BranchLockedError } from '../../../src/engine/vcs/BranchLockedError.js';
import { createGitVcs } from '../../../src/engine/vcs/createGitVcs.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const hangingUpdate = join(repoRoot, 'test/fixtures/refUpdateHangs.ts');
const BRANCH = 'nightshift/s1';

/** A repository with one commit, and a second commit (objects only) ready to deliver on BRANCH. */
async function prepare() {
  const root = makeTempDir();
  const repo = createGitRepo({ dir: join(root, 'repo'), commits: [{ files: { 'a.txt': 'one\n' } }] });
  const base = git(repo, 'rev-parse', 'HEAD');
  const commit = await createGitVcs().commit({
    repoDir: repo,
    parentOid: base,
    changes: [{ path: 'b.txt', before: null, after: 'two\n' }],
    message: 'deliver b',
    author: { name: 'Nightshift', email: 'nightshift@localhost', timestamp: 1_800_000_000 },
  });
  return { repo, base, commit, intentsDir: join(root, 'data', 'ref-intents'), lockPath: join(repo, '.git', 'refs', 'heads', 'nightshift', 's1.lock') };
}

/** Starts a delivery that stops inside the ref-update window; resolves once the `.lock` exists. */
function startHangingUpdate(options: { repo: string; commit: string; intentsDir: string }): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', hangingUpdate, join(options.repo, '.git'), BRANCH, options.commit, '-', options.intentsDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('in-window')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`the update ended (${code}) before reaching the window: ${stderr}`)));
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (_code, signal) => {
      expect(signal).toBe('SIGKILL');
      resolve();
    });
    child.kill('SIGKILL');
  });
}

/** Every file of the git directory with a hash of its bytes, except objects and the one ref delivery may write. */
function gitDirFiles(repo: string): Record<string, string> {
  const gitDir = join(repo, '.git');
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = relative(gitDir, path);
      if (rel === 'objects' || rel === `refs/heads/${BRANCH}`) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(gitDir);
  return files;
}

describe('a kill inside the ref-update window', () => {
  it('leaves a .lock that the next delivery recognises as its own, removes, and delivers once', async () => {
    const { repo, base, commit, intentsDir, lockPath } = await prepare();
    const child = await startHangingUpdate({ repo, commit, intentsDir });
    await killAndWait(child);
    expect(existsSync(lockPath)).toBe(true);
    expect(readdirSync(intentsDir)).toHaveLength(1);

    // Without intents the lock is anyone's: reported, never removed.
    await expect(createGitVcs().updateBranch({ repoDir: repo, branch: BRANCH, oid: commit, expectedOid: null })).rejects.toBeInstanceOf(BranchLockedError);
    expect(existsSync(lockPath)).toBe(true);

    await createGitVcs({ refIntentsDir: intentsDir }).updateBranch({ repoDir: repo, branch: BRANCH, oid: commit, expectedOid: null });
    expect(git(repo, 'log', '--format=%H', `${base}..${BRANCH}`)).toBe(commit);
    expect(existsSync(lockPath)).toBe(false);
    expect(readdirSync(intentsDir)).toEqual([]);
    expect(git(repo, 'fsck', '--no-progress')).toBe('');
  });

  it('never removes a .lock held by a live process, Nightshift or git', async () => {
    const { repo, commit, intentsDir, lockPath } = await prepare();
    const vcs = createGitVcs({ refIntentsDir: intentsDir });

    // A live Nightshift inside the window: its intent names a live pid.
    const child = await startHangingUpdate({ repo, commit, intentsDir });
    const refused = await vcs.updateBranch({ repoDir: repo, branch: BRANCH, oid: commit, expectedOid: null }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BranchLockedError);
    expect((refused as BranchLockedError).message).toContain(lockPath);
    expect(existsSync(lockPath)).toBe(true);
    await killAndWait(child);
    // Its pid is dead now, so the same lock is recovered.
    await vcs.updateBranch({ repoDir: repo, branch: BRANCH, oid: commit, expectedOid: null });
    expect(git(repo, 'rev-parse', BRANCH)).toBe(commit);

    // A lock no intent names, as a running git holds it.
    const next = await vcs.commit({ repoDir: repo, parentOid: commit, changes: [{ path: 'c.txt', before: null, after: 'three\n' }], message: 'c', author: { name: 'N', email: 'n@localhost', timestamp: 1_800_000_001 } });
    mkdirSync(join(lockPath, '..'), { recursive: true });
    writeFileSync(lockPath, '');
    const foreign = await vcs.updateBranch({ repoDir: repo, branch: BRANCH, oid: next, expectedOid: commit }).catch((error: unknown) => error);
    expect(foreign).toBeInstanceOf(BranchLockedError);
    expect((foreign as BranchLockedError).hint).toContain(`delete ${lockPath}`);
    expect(existsSync(lockPath)).toBe(true);
    expect(git(repo, 'rev-parse', BRANCH)).toBe(commit);
  });

  it('writes nothing into .git but objects and the one branch ref', async () => {
    const { repo, base, commit, intentsDir } = await prepare();
    const before = gitDirFiles(repo);
    const vcs = createGitVcs({ refIntentsDir: intentsDir });
    await vcs.updateBranch({ repoDir: repo, branch: BRANCH, oid: commit, expectedOid: null });
    const next = await vcs.commit({ repoDir: repo, parentOid: commit, changes: [{ path: 'a.txt', before: 'one\n', after: 'uno\n' }], message: 'c', author: { name: 'N', email: 'n@localhost', timestamp: 1_800_000_001 } });
    await vcs.updateBranch({ repoDir: repo, branch: BRANCH, oid: next, expectedOid: commit });
    expect(gitDirFiles(repo)).toEqual(before);
    expect(git(repo, 'rev-list', `${base}..${BRANCH}`).split('\n')).toEqual([next, commit]);
  });
});
