import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { createTestEngine } from '../../utils/createTestEngine.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

describe('direct mode', () => {
  it('fast-forwards a branch that is not checked out, and only that branch', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    git(repoDir, 'branch', 'overnight');
    const base = git(repoDir, 'rev-parse', 'overnight');
    const before = snapshotUserRepo(repoDir);
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    const outcome = await host.engine.runSession({ projectDir: repoDir, mode: 'direct', targetBranch: 'overnight', maxTasks: 1 });
    expect(outcome.session.branch).toBe('overnight');
    const head = git(repoDir, 'rev-parse', 'overnight');
    expect(outcome.session.headCommit).toBe(head);
    expect(git(repoDir, 'rev-parse', `${head}^`)).toBe(base);
    expect(git(repoDir, 'branch', '--list', 'nightshift/*')).toBe('');
    expect(snapshotUserRepo(repoDir)).toEqual({
      ...before,
      'git:branches': `refs/heads/main ${base}\nrefs/heads/overnight ${head}`,
    });
    await host.dispose();
  });

  it('refuses the checked-out branch and a branch that does not exist, before doing anything', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    await expect(host.engine.runSession({ projectDir: repoDir, mode: 'direct', targetBranch: 'main' })).rejects.toMatchObject({
      code: 'DIRECT_MODE_REFUSED',
      message: expect.stringContaining('checked out'),
    });
    await expect(host.engine.runSession({ projectDir: repoDir, mode: 'direct', targetBranch: 'nope' })).rejects.toMatchObject({
      code: 'DIRECT_MODE_REFUSED',
      message: expect.stringContaining('does not exist'),
    });
    expect(host.store.listSessions()).toEqual([]);
    await host.dispose();
  });

  it('stops instead of overwriting when the branch moved while the session was away', async () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    git(repoDir, 'branch', 'overnight');
    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    await host.engine.runSession({ projectDir: repoDir, mode: 'direct', targetBranch: 'overnight', maxTasks: 1 });
    git(repoDir, 'branch', '-f', 'overnight', 'main');
    await expect(host.engine.runSession({ projectDir: repoDir })).rejects.toMatchObject({ code: 'BRANCH_MOVED_OUTSIDE' });
    expect(git(repoDir, 'rev-parse', 'overnight')).toBe(git(repoDir, 'rev-parse', 'main'));
    await host.dispose();
  });
});
