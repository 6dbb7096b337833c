import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NightshiftError } from '../../../src/shared/NightshiftError.js';
import { createGitVcs } from '../../../src/engine/vcs/createGitVcs.js';
import { EmptyRepoError } from '../../../src/engine/vcs/EmptyRepoError.js';
import { NotAGitRepoError } from '../../../src/engine/vcs/NotAGitRepoError.js';
import { UnknownCommitError } from '../../../src/engine/vcs/UnknownCommitError.js';
import { WorkspaceNotEmptyError } from '../../../src/engine/vcs/WorkspaceNotEmptyError.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const vcs = createGitVcs();

async function rejection(promise: Promise<unknown>): Promise<NightshiftError> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: NightshiftError) => error,
  );
}

describe('createGitVcs inspectRepo', () => {
  it('reports root, head and branch, and null branch when detached', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'a.txt': 'a' } }, { files: { 'b.txt': 'b' } }] });
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(await vcs.inspectRepo({ repoDir: `${repo}/./` })).toEqual({ root: repo, headOid: head, currentBranch: 'main' });
    git(repo, 'checkout', '-q', '--detach', 'HEAD~1');
    expect(await vcs.inspectRepo({ repoDir: repo })).toEqual({ root: repo, headOid: git(repo, 'rev-parse', 'HEAD'), currentBranch: null });
  });

  it('resolves the real path of a symlinked root', async () => {
    const base = makeTempDir();
    const repo = createGitRepo({ dir: join(base, 'repo'), commits: [{ files: { 'a.txt': 'a' } }] });
    symlinkSync(repo, join(base, 'alias'));
    expect((await vcs.inspectRepo({ repoDir: join(base, 'alias') })).root).toBe(repo);
  });

  it('rejects a missing folder, a file, a plain folder and a subfolder of a repository', async () => {
    const base = makeTempDir();
    const repo = createGitRepo({ dir: join(base, 'repo'), commits: [{ files: { 'sub/a.txt': 'a' } }] });
    writeFileSync(join(base, 'file'), 'x');
    mkdirSync(join(base, 'plain'));
    const missing = await rejection(vcs.inspectRepo({ repoDir: join(base, 'missing') }));
    expect(missing).toBeInstanceOf(NotAGitRepoError);
    expect(missing.code).toBe('NOT_A_GIT_REPO');
    expect(missing.message).toContain('does not exist');
    expect(missing.context.repoDir).toBe(join(base, 'missing'));
    expect(await rejection(vcs.inspectRepo({ repoDir: join(base, 'file') }))).toBeInstanceOf(NotAGitRepoError);
    expect(await rejection(vcs.inspectRepo({ repoDir: join(base, 'plain') }))).toBeInstanceOf(NotAGitRepoError);
    // Parents are never searched: the user names the root, and `sub` sits inside a real repository.
    const sub = await rejection(vcs.inspectRepo({ repoDir: join(repo, 'sub') }));
    expect(sub).toBeInstanceOf(NotAGitRepoError);
    expect(sub.message).toContain('no .git');
  });

  it('rejects an empty repository with a hint to commit first', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo') });
    const error = await rejection(vcs.inspectRepo({ repoDir: repo }));
    expect(error).toBeInstanceOf(EmptyRepoError);
    expect(error.code).toBe('EMPTY_REPO');
    expect(error.hint).toContain('first commit');
  });

  it('follows a relative gitdir pointer file and rejects a broken one', async () => {
    const base = makeTempDir();
    const repo = createGitRepo({ dir: join(base, 'repo'), commits: [{ files: { 'a.txt': 'a' } }] });
    renameSync(join(repo, '.git'), join(base, 'store.git'));
    writeFileSync(join(repo, '.git'), 'gitdir: ../store.git\n');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(await vcs.inspectRepo({ repoDir: repo })).toEqual({ root: repo, headOid: git(repo, 'rev-parse', 'HEAD'), currentBranch: 'main' });
    writeFileSync(join(repo, '.git'), 'gitdir: ../nowhere.git\n');
    const error = await rejection(vcs.inspectRepo({ repoDir: repo }));
    expect(error).toBeInstanceOf(NotAGitRepoError);
    expect(error.hint).toContain('points at');
  });

  it('reads a linked worktree: its own HEAD, the shared objects', async () => {
    const base = makeTempDir();
    const repo = createGitRepo({ dir: join(base, 'repo'), commits: [{ files: { 'a.txt': 'a' } }] });
    git(repo, 'worktree', 'add', '-q', '-b', 'side', join(base, 'wt'));
    expect(await vcs.inspectRepo({ repoDir: join(base, 'wt') })).toEqual({
      root: join(base, 'wt'),
      headOid: git(repo, 'rev-parse', 'side'),
      currentBranch: 'side',
    });
    expect(await vcs.readBranch({ repoDir: join(base, 'wt'), branch: 'main' })).toBe(git(repo, 'rev-parse', 'main'));
  });
});

describe('createGitVcs reading', () => {
  it('reads branches, files at commits and full log messages', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'dir/a.txt': 'one\n' } }] });
    const first = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'dir/a.txt'), 'two\n');
    git(repo, 'commit', '-q', '-am', 'Subject line', '-m', 'Body paragraph\nsecond line');
    const second = git(repo, 'rev-parse', 'HEAD');
    expect(await vcs.readBranch({ repoDir: repo, branch: 'main' })).toBe(second);
    expect(await vcs.readBranch({ repoDir: repo, branch: 'nope' })).toBeNull();
    expect(await vcs.readFileAt({ repoDir: repo, commitOid: first, path: 'dir/a.txt' })).toBe('one\n');
    expect(await vcs.readFileAt({ repoDir: repo, commitOid: second, path: 'dir/a.txt' })).toBe('two\n');
    expect(await vcs.readFileAt({ repoDir: repo, commitOid: second, path: 'dir/missing.txt' })).toBeNull();
    expect(await vcs.readFileAt({ repoDir: repo, commitOid: second, path: 'dir' })).toBeNull();
    expect(await vcs.log({ repoDir: repo, oid: second })).toEqual([
      { oid: second, message: 'Subject line\n\nBody paragraph\nsecond line\n' },
      { oid: first, message: 'commit 1\n' },
    ]);
    expect(await vcs.log({ repoDir: repo, oid: second, depth: 1 })).toHaveLength(1);
    const blob = git(repo, 'rev-parse', 'HEAD:dir/a.txt');
    for (const oid of ['0'.repeat(40), blob]) {
      expect(await rejection(vcs.readFileAt({ repoDir: repo, commitOid: oid, path: 'dir/a.txt' }))).toBeInstanceOf(UnknownCommitError);
      expect(await rejection(vcs.log({ repoDir: repo, oid }))).toBeInstanceOf(UnknownCommitError);
    }
  });
});

describe('createGitVcs materialize', () => {
  it('writes the tree with executable modes, verbatim symlinks and nested folders, submodules as empty folders', async () => {
    const base = makeTempDir();
    const repo = createGitRepo({
      dir: join(base, 'repo'),
      commits: [{ files: { 'run.sh*': '#!/bin/sh\necho hi\n', 'plain.txt': 'plain\n', 'a/b/c/deep.txt': 'deep\n' } }],
    });
    symlinkSync('a/b/c/deep.txt', join(repo, 'to-deep'));
    symlinkSync('../does not/exist', join(repo, 'a', 'dangling'));
    git(repo, 'add', '-A');
    git(repo, 'update-index', '--add', '--cacheinfo', `160000,${git(repo, 'rev-parse', 'HEAD')},vendor/sub`);
    git(repo, 'commit', '-q', '-m', 'links and a submodule');
    const workspace = join(base, 'nested', 'ws');
    await vcs.materialize({ repoDir: repo, commitOid: git(repo, 'rev-parse', 'HEAD'), workspaceDir: workspace });
    expect(readFileSync(join(workspace, 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(lstatSync(join(workspace, 'run.sh')).mode & 0o111).toBe(0o111);
    expect(lstatSync(join(workspace, 'plain.txt')).mode & 0o111).toBe(0);
    expect(readFileSync(join(workspace, 'a/b/c/deep.txt'), 'utf8')).toBe('deep\n');
    expect(readlinkSync(join(workspace, 'to-deep'))).toBe('a/b/c/deep.txt');
    expect(readlinkSync(join(workspace, 'a/dangling'))).toBe('../does not/exist');
    expect(readdirSync(join(workspace, 'vendor/sub'))).toEqual([]);
    expect(readdirSync(workspace).sort()).toEqual(['a', 'plain.txt', 'run.sh', 'to-deep', 'vendor']);
    // The materialized workspace is a faithful copy: committing it as-is in a fresh repo gives the same tree.
    git(workspace, 'init', '-q');
    git(workspace, 'add', '-A');
    git(workspace, 'update-index', '--add', '--cacheinfo', `160000,${git(repo, 'rev-parse', 'HEAD~1')},vendor/sub`);
    expect(git(workspace, 'write-tree')).toBe(git(repo, 'rev-parse', 'HEAD^{tree}'));
  });

  it('refuses a non-empty workspace or a file in its place, and an unknown commit', async () => {
    const base = makeTempDir();
    const repo = createGitRepo({ dir: join(base, 'repo'), commits: [{ files: { 'a.txt': 'a' } }] });
    const head = git(repo, 'rev-parse', 'HEAD');
    mkdirSync(join(base, 'full'));
    writeFileSync(join(base, 'full', 'keep.txt'), 'mine');
    writeFileSync(join(base, 'file'), 'x');
    for (const workspaceDir of [join(base, 'full'), join(base, 'file')]) {
      const error = await rejection(vcs.materialize({ repoDir: repo, commitOid: head, workspaceDir }));
      expect(error).toBeInstanceOf(WorkspaceNotEmptyError);
      expect(error.context.workspaceDir).toBe(workspaceDir);
    }
    expect(readdirSync(join(base, 'full'))).toEqual(['keep.txt']);
    mkdirSync(join(base, 'empty'));
    await vcs.materialize({ repoDir: repo, commitOid: head, workspaceDir: join(base, 'empty') });
    expect(readFileSync(join(base, 'empty', 'a.txt'), 'utf8')).toBe('a');
    const unknown = await rejection(vcs.materialize({ repoDir: repo, commitOid: 'f'.repeat(40), workspaceDir: join(base, 'ws2') }));
    expect(unknown).toBeInstanceOf(UnknownCommitError);
    expect(existsSync(join(base, 'ws2'))).toBe(false);
  });

  it('works on a repository whose objects and refs are all packed', async () => {
    const base = makeTempDir();
    const repo = createGitRepo({
      dir: join(base, 'repo'),
      commits: [{ files: { 'x.sh*': 'echo\n', 'd/y.txt': 'y1\n' } }, { files: { 'd/y.txt': 'y2\n' }, message: 'second' }],
    });
    git(repo, 'branch', 'other', 'HEAD~1');
    git(repo, 'gc', '-q', '--prune=now');
    expect(git(repo, 'count-objects', '-v')).toMatch(/^count: 0$/m);
    expect(readFileSync(join(repo, '.git', 'packed-refs'), 'utf8')).toContain('refs/heads/other');
    expect(existsSync(join(repo, '.git', 'refs', 'heads', 'other'))).toBe(false);
    const other = await vcs.readBranch({ repoDir: repo, branch: 'other' });
    expect(other).toBe(git(repo, 'rev-parse', 'main~1'));
    const { headOid } = await vcs.inspectRepo({ repoDir: repo });
    expect(headOid).toBe(git(repo, 'rev-parse', 'main'));
    expect(await vcs.readFileAt({ repoDir: repo, commitOid: other as string, path: 'd/y.txt' })).toBe('y1\n');
    expect((await vcs.log({ repoDir: repo, oid: headOid })).map((entry) => entry.message)).toEqual(['second\n', 'commit 1\n']);
    await vcs.materialize({ repoDir: repo, commitOid: headOid, workspaceDir: join(base, 'ws') });
    expect(readFileSync(join(base, 'ws', 'd/y.txt'), 'utf8')).toBe('y2\n');
    expect(lstatSync(join(base, 'ws', 'x.sh')).mode & 0o111).toBe(0o111);
    expect(execFileSync('git', ['fsck', '--full', '--strict'], { cwd: repo, encoding: 'utf8', stdio: 'pipe' })).toBe('');
  });
});
