import { execFileSync } from 'node:child_process';
import fs, { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileChange } from '../../../src/engine/ports/Vcs.js';
import type { NightshiftError } from '../../../src/shared/NightshiftError.js';
import { BranchLockedError } from '../../../src/engine/vcs/BranchLockedError.js';
import { BranchMovedError } from '../../../src/engine/vcs/BranchMovedError.js';
import { CheckedOutBranchError } from '../../../src/engine/vcs/CheckedOutBranchError.js';
import { createGitVcs } from '../../../src/engine/vcs/createGitVcs.js';
import { InvalidBranchNameError } from '../../../src/engine/vcs/InvalidBranchNameError.js';
import { InvalidCommitInputError } from '../../../src/engine/vcs/InvalidCommitInputError.js';
import { UnknownCommitError } from '../../../src/engine/vcs/UnknownCommitError.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const vcs = createGitVcs();
const author = { name: 'Nightshift', email: 'nightshift@example.com', timestamp: 1_700_000_000 };

async function rejection(promise: Promise<unknown>): Promise<NightshiftError> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: NightshiftError) => error,
  );
}

/** Commits not yet on a branch are dangling by design; anything else fsck prints is a defect. */
const fsck = (repo: string) => execFileSync('git', ['fsck', '--full', '--strict', '--no-dangling'], { cwd: repo, encoding: 'utf8', stdio: 'pipe' });
/** Whether the git CLI rejects the command (its complaint is swallowed to keep test output readable). */
const gitFails = (cwd: string, ...args: string[]) => {
  try {
    execFileSync('git', args, { cwd, stdio: 'pipe' });
    return false;
  } catch {
    return true;
  }
};
const commitOn = (repo: string, parentOid: string, changes: FileChange[], message = 'change') =>
  vcs.commit({ repoDir: repo, parentOid, changes, message, author });

describe('createGitVcs commit', () => {
  it('applies deletions, nested additions and file/folder swaps, pruning emptied folders', async () => {
    const repo = createGitRepo({
      dir: join(makeTempDir(), 'repo'),
      commits: [{ files: { 'a/b/c.txt': 'c', 'a/b/d.txt': 'd', 'a/e.txt': 'e', 'x': 'file x', 'y/z.txt': 'z', 'keep/k.txt': 'k' } }],
    });
    const parent = git(repo, 'rev-parse', 'HEAD');
    const refsBefore = git(repo, 'for-each-ref');
    const oid = await commitOn(repo, parent, [
      { path: 'a/b/c.txt', before: 'c', after: null },
      { path: 'a/b/d.txt', before: 'd', after: null },
      { path: 'a/e.txt', before: 'e', after: 'e2' },
      { path: 'new/deep/er/n.txt', before: null, after: 'n' },
      { path: 'x', before: 'file x', after: null },
      { path: 'x/inside.txt', before: null, after: 'now a folder' },
      { path: 'y/z.txt', before: 'z', after: null },
      { path: 'y', before: null, after: 'now a file' },
      { path: 'ghost.txt', before: null, after: null },
    ]);
    expect(git(repo, 'ls-tree', '-r', '-t', '--name-only', oid).split('\n')).toEqual([
      'a',
      'a/e.txt',
      'keep',
      'keep/k.txt',
      'new',
      'new/deep',
      'new/deep/er',
      'new/deep/er/n.txt',
      'x',
      'x/inside.txt',
      'y',
    ]);
    expect(git(repo, 'show', `${oid}:a/e.txt`)).toBe('e2');
    expect(git(repo, 'show', `${oid}:y`)).toBe('now a file');
    expect(git(repo, 'rev-parse', `${oid}:keep`)).toBe(git(repo, 'rev-parse', `${parent}:keep`));
    expect(git(repo, 'log', '--format=%P %at %an <%ae>|%cn <%ce>', '-1', oid)).toBe(
      `${parent} 1700000000 Nightshift <nightshift@example.com>|Nightshift <nightshift@example.com>`,
    );
    // Only objects were written: no ref, HEAD or index moved.
    expect(git(repo, 'for-each-ref')).toBe(refsBefore);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(parent);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(fsck(repo)).toBe('');
  });

  it('keeps modes of modified files, reuses unchanged objects, and can empty the tree', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'run.sh*': 'v1', 'lib/plain.txt': 'p' } }] });
    const parent = git(repo, 'rev-parse', 'HEAD');
    const same = await commitOn(repo, parent, []);
    expect(git(repo, 'rev-parse', `${same}^{tree}`)).toBe(git(repo, 'rev-parse', `${parent}^{tree}`));
    const changed = await commitOn(repo, parent, [
      { path: 'run.sh', before: 'v1', after: 'v2' },
      { path: 'lib/new.txt', before: null, after: 'new' },
    ]);
    const modes = git(repo, 'ls-tree', '-r', changed).replace(/ blob \w+/g, '');
    expect(modes).toBe('100644\tlib/new.txt\n100644\tlib/plain.txt\n100755\trun.sh');
    const emptied = await commitOn(repo, changed, [
      { path: 'run.sh', before: 'v2', after: null },
      { path: 'lib/plain.txt', before: 'p', after: null },
      { path: 'lib/new.txt', before: 'new', after: null },
    ]);
    expect(git(repo, 'rev-parse', `${emptied}^{tree}`)).toBe(git(repo, 'hash-object', '-t', 'tree', '/dev/null'));
    expect(fsck(repo)).toBe('');
  });

  it('commits only regular files: never over or under a symlink or gitlink, never a refused change', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'run.sh*': 'v1', 'lib/plain.txt': 'p' } }] });
    symlinkSync('lib/plain.txt', join(repo, 'link'));
    symlinkSync('lib', join(repo, 'libdir'));
    git(repo, 'add', '-A');
    git(repo, 'update-index', '--add', '--cacheinfo', `160000,${git(repo, 'rev-parse', 'HEAD')},vendor/sub`);
    git(repo, 'commit', '-q', '-m', 'links and a submodule');
    const parent = git(repo, 'rev-parse', 'HEAD');
    const refused: Array<[FileChange, string]> = [
      [{ path: 'link', before: 'p', after: '/etc/passwd' }, 'Cannot commit link: is a symlink (mode 120000) in the parent commit'],
      [{ path: 'link', before: 'p', after: null }, 'Cannot commit link: is a symlink (mode 120000) in the parent commit'],
      [{ path: 'libdir/x.txt', before: null, after: 'x' }, 'Cannot commit libdir: is a symlink (mode 120000) in the parent commit, so nothing can be put under it'],
      [{ path: 'vendor/sub', before: null, after: 'x' }, 'Cannot commit vendor/sub: is a gitlink (submodule, mode 160000) in the parent commit'],
      [{ path: 'vendor/sub', before: null, after: null }, 'Cannot commit vendor/sub: is a gitlink (submodule, mode 160000) in the parent commit'],
      [{ path: 'vendor/sub/file.txt', before: null, after: 'x' }, 'Cannot commit vendor/sub: is a gitlink (submodule, mode 160000) in the parent commit, so nothing can be put under it'],
      [{ path: 'lib', before: null, after: 'x' }, 'Cannot commit lib: is a folder in the parent commit'],
      [{ path: 'run.sh/x', before: null, after: 'x' }, 'Cannot commit run.sh: is a file in the parent commit, so nothing can be put under it'],
      [{ path: 'etc', before: null, after: null, refused: 'a symlink (mode 120000)' }, 'Cannot commit etc: is a symlink (mode 120000), never committed'],
    ];
    for (const [change, message] of refused) {
      const error = await rejection(commitOn(repo, parent, [{ path: 'ok.txt', before: null, after: 'ok' }, change]));
      expect(error, JSON.stringify(change)).toBeInstanceOf(InvalidCommitInputError);
      expect(error.message).toBe(message);
    }
    // No commit came out of it, so no branch can have moved.
    expect(git(repo, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(parent);

    // The executable bit survives an edit, and links and gitlinks beside the change are kept verbatim.
    const edited = await commitOn(repo, parent, [{ path: 'run.sh', before: 'v1', after: 'v2' }, { path: 'lib/plain.txt', before: 'p', after: 'p2' }]);
    expect(git(repo, 'ls-tree', '-r', edited).replace(/ (blob|commit) \w+/g, '')).toBe('100644\tlib/plain.txt\n120000\tlibdir\n120000\tlink\n100755\trun.sh\n160000\tvendor/sub');
    expect(git(repo, 'cat-file', '-p', `${edited}:link`)).toBe('lib/plain.txt');
    expect(fsck(repo)).toBe('');
  });

  it('never leaves a truncated object behind when a write fails halfway', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'a.txt': 'a' } }] });
    const parent = git(repo, 'rev-parse', 'HEAD');
    let failures = 0;
    // Every object write fails after 5 bytes, as on a full disk (isomorphic-git retries once itself).
    const failingFs: typeof fs = {
      ...fs,
      promises: {
        ...fs.promises,
        writeFile: async (path, data, options) => {
          if (!String(path).includes('/objects/')) return fs.promises.writeFile(path, data, options);
          failures += 1;
          await fs.promises.writeFile(path, (data as Uint8Array).subarray(0, 5));
          throw new Error('disk full');
        },
      },
    };
    const changes = [{ path: 'big.txt', before: null, after: 'x'.repeat(10_000) }];
    const failing = createGitVcs({ fs: failingFs });
    await expect(failing.commit({ repoDir: repo, parentOid: parent, changes, message: 'm', author })).rejects.toThrow('disk full');
    expect(failures).toBeGreaterThan(0);
    expect(execFileSync('find', ['.git/objects', '-name', 'tmp_obj_*'], { cwd: repo, encoding: 'utf8' })).toBe('');
    const oid = await commitOn(repo, parent, changes);
    expect(git(repo, 'show', `${oid}:big.txt`)).toBe('x'.repeat(10_000));
    expect(fsck(repo)).toBe('');
  });

  it('rejects unsafe paths, file/folder clashes, duplicates, bad timestamps and unknown parents', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'f.txt': 'f', 'dir/g.txt': 'g' } }] });
    const parent = git(repo, 'rev-parse', 'HEAD');
    const bad: FileChange[][] = [
      [{ path: '../escape.txt', before: null, after: 'x' }],
      [{ path: '/abs.txt', before: null, after: 'x' }],
      [{ path: 'a//b.txt', before: null, after: 'x' }],
      [{ path: '.git/config', before: null, after: 'x' }],
      [{ path: 'sub/.GIT/hooks/x', before: null, after: 'x' }],
      [{ path: 'f.txt/inner', before: null, after: 'x' }],
      [{ path: 'dir', before: null, after: 'x' }],
      [{ path: 'dir', before: 'x', after: null }],
      [
        { path: 'f.txt', before: 'f', after: '1' },
        { path: 'f.txt', before: 'f', after: '2' },
      ],
    ];
    for (const changes of bad) {
      expect(await rejection(commitOn(repo, parent, changes)), JSON.stringify(changes)).toBeInstanceOf(InvalidCommitInputError);
    }
    const clash = await rejection(commitOn(repo, parent, [{ path: 'f.txt/inner', before: null, after: 'x' }]));
    expect(clash.message).toBe('Cannot commit f.txt: is a file in the parent commit, so nothing can be put under it');
    const ms = await rejection(vcs.commit({ repoDir: repo, parentOid: parent, changes: [], message: 'm', author: { ...author, timestamp: Date.now() } }));
    expect(ms).toBeInstanceOf(InvalidCommitInputError);
    expect(await rejection(commitOn(repo, 'a'.repeat(40), []))).toBeInstanceOf(UnknownCommitError);
  });
});

describe('createGitVcs updateBranch', () => {
  it('creates and moves a branch only from the expected value', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'a.txt': 'a' } }] });
    const base = git(repo, 'rev-parse', 'HEAD');
    const first = await commitOn(repo, base, [{ path: 'a.txt', before: 'a', after: 'b' }]);
    const second = await commitOn(repo, first, [{ path: 'a.txt', before: 'b', after: 'c' }]);
    await vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s1', oid: first, expectedOid: null });
    expect(git(repo, 'rev-parse', 'nightshift/s1')).toBe(first);
    const exists = await rejection(vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s1', oid: second, expectedOid: null }));
    expect(exists).toBeInstanceOf(BranchMovedError);
    expect(exists.context).toEqual({ branch: 'nightshift/s1', expected: null, actual: first });
    await vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s1', oid: second, expectedOid: first });
    expect(await vcs.readBranch({ repoDir: repo, branch: 'nightshift/s1' })).toBe(second);
    // Someone else moves the branch with the git CLI between our read and our write.
    git(repo, 'branch', '-f', 'nightshift/s1', base);
    const moved = await rejection(vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s1', oid: first, expectedOid: second }));
    expect(moved).toBeInstanceOf(BranchMovedError);
    expect(moved.code).toBe('BRANCH_MOVED');
    expect(moved.context).toEqual({ branch: 'nightshift/s1', expected: second, actual: base });
    expect(git(repo, 'rev-parse', 'nightshift/s1')).toBe(base);
    expect(existsSync(join(repo, '.git/refs/heads/nightshift/s1.lock'))).toBe(false);
    expect(git(repo, 'log', '--format=%s', 'main..' + second)).toBe('change\nchange');
    expect(fsck(repo)).toBe('');
  });

  it('refuses a branch another process has locked, leaving its lock alone', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'a.txt': 'a' } }] });
    const head = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, '.git/refs/heads/busy.lock'), '');
    const error = await rejection(vcs.updateBranch({ repoDir: repo, branch: 'busy', oid: head, expectedOid: null }));
    expect(error).toBeInstanceOf(BranchLockedError);
    expect(existsSync(join(repo, '.git/refs/heads/busy.lock'))).toBe(true);
    expect(existsSync(join(repo, '.git/refs/heads/busy'))).toBe(false);
  });

  it('refuses branches checked out in the repository, in a linked worktree, or being rebased', async () => {
    const base = makeTempDir();
    const repo = createGitRepo({ dir: join(base, 'repo'), commits: [{ files: { 'f.txt': 'base\n' } }] });
    const head = git(repo, 'rev-parse', 'HEAD');
    const other = await commitOn(repo, head, [{ path: 'g.txt', before: null, after: 'g' }]);
    const onMain = await rejection(vcs.updateBranch({ repoDir: repo, branch: 'main', oid: other, expectedOid: head }));
    expect(onMain).toBeInstanceOf(CheckedOutBranchError);
    expect(onMain.context).toEqual({ branch: 'main', worktree: repo });
    expect(git(repo, 'rev-parse', 'main')).toBe(head);

    git(repo, 'worktree', 'add', '-q', '-b', 'side', join(base, 'wt'));
    for (const repoDir of [repo, join(base, 'wt')]) {
      const error = await rejection(vcs.updateBranch({ repoDir, branch: 'side', oid: other, expectedOid: head }));
      expect(error).toBeInstanceOf(CheckedOutBranchError);
      expect(error.context.worktree).toBe(join(base, 'wt'));
    }
    // From the linked worktree, objects and refs go to the shared repository.
    const fromWorktree = await commitOn(join(base, 'wt'), head, [{ path: 'w.txt', before: null, after: 'w' }], 'from wt');
    await vcs.updateBranch({ repoDir: join(base, 'wt'), branch: 'nightshift/wt', oid: fromWorktree, expectedOid: null });
    expect(git(repo, 'log', '-1', '--format=%s', 'nightshift/wt')).toBe('from wt');

    git(repo, 'checkout', '-q', '-b', 'topic');
    writeFileSync(join(repo, 'f.txt'), 'topic\n');
    git(repo, 'commit', '-q', '-am', 'topic edit');
    git(repo, 'checkout', '-q', 'main');
    writeFileSync(join(repo, 'f.txt'), 'main\n');
    git(repo, 'commit', '-q', '-am', 'main edit');
    git(repo, 'checkout', '-q', 'topic');
    expect(gitFails(repo, 'rebase', 'main')).toBe(true);
    expect(git(repo, 'branch', '--show-current')).toBe('');
    const rebasing = await rejection(vcs.updateBranch({ repoDir: repo, branch: 'topic', oid: other, expectedOid: git(repo, 'rev-parse', 'topic') }));
    expect(rebasing).toBeInstanceOf(CheckedOutBranchError);
  });

  it('validates branch names like git check-ref-format, and folder/file clashes', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'a.txt': 'a' } }] });
    const head = git(repo, 'rev-parse', 'HEAD');
    const invalid = ['', 'a..b', 'x.lock', 'd/x.lock/e', '-x', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', 'a/', '/a', 'a//b', '.a', 'a/.b', 'a.', 'a@{1}', '@', 'HEAD'];
    for (const branch of invalid) {
      const error = await rejection(vcs.updateBranch({ repoDir: repo, branch, oid: head, expectedOid: null }));
      expect(error, branch).toBeInstanceOf(InvalidBranchNameError);
      // git reads `@` and `HEAD` as names for the current branch; everything else it rejects as well.
      if (branch !== 'HEAD' && branch !== '@') expect(gitFails(repo, 'check-ref-format', '--branch', branch), branch).toBe(true);
      expect(await rejection(vcs.readBranch({ repoDir: repo, branch })), branch).toBeInstanceOf(InvalidBranchNameError);
    }
    for (const branch of ['nightshift/s1', 'feature-1', 'a.b/c_d', 'ünïcode']) {
      expect(git(repo, 'check-ref-format', '--branch', branch)).toBe(branch);
      await vcs.updateBranch({ repoDir: repo, branch, oid: head, expectedOid: null });
      expect(git(repo, 'rev-parse', `refs/heads/${branch}`)).toBe(head);
    }
    for (const branch of ['nightshift', 'nightshift/s1/deeper', 'main/x']) {
      const error = await rejection(vcs.updateBranch({ repoDir: repo, branch, oid: head, expectedOid: null }));
      expect(error, branch).toBeInstanceOf(InvalidBranchNameError);
      expect(error.message).toContain('conflicts with existing branch');
    }
    expect(await rejection(vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s2', oid: 'b'.repeat(40), expectedOid: null }))).toBeInstanceOf(UnknownCommitError);
    expect(existsSync(join(repo, '.git/refs/heads/nightshift/s2'))).toBe(false);
  });

  it('compares against packed refs and writes objects git can pack again', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'a.txt': 'a' } }, { files: { 'b.txt': 'b' } }] });
    git(repo, 'branch', 'nightshift/s1', 'HEAD~1');
    git(repo, 'gc', '-q', '--prune=now');
    expect(readFileSync(join(repo, '.git/packed-refs'), 'utf8')).toContain('refs/heads/nightshift/s1');
    const packed = git(repo, 'rev-parse', 'nightshift/s1');
    const next = await commitOn(repo, packed, [{ path: 'a.txt', before: 'a', after: 'a2' }]);
    const stale = await rejection(vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s1', oid: next, expectedOid: null }));
    expect(stale.context).toEqual({ branch: 'nightshift/s1', expected: null, actual: packed });
    await vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s1', oid: next, expectedOid: packed });
    expect(git(repo, 'rev-parse', 'nightshift/s1')).toBe(next);
    expect(fsck(repo)).toBe('');
    git(repo, 'gc', '-q', '--prune=now');
    expect(git(repo, 'count-objects', '-v')).toMatch(/^count: 0$/m);
    expect(await vcs.readBranch({ repoDir: repo, branch: 'nightshift/s1' })).toBe(next);
    expect(git(repo, 'show', 'nightshift/s1:a.txt')).toBe('a2');
  });
});
