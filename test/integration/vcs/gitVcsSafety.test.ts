import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGitVcs } from '../../../src/engine/vcs/createGitVcs.js';
import { createGitRepo, git, writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

/** Every file under `root` except `.git`: content (or link target) and mode, so any write shows up. */
function snapshotWorkingTree(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === join(root, '.git')) continue;
      const stat = lstatSync(path);
      const key = relative(root, path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isSymbolicLink()) result[key] = `link -> ${readlinkSync(path)}`;
      else result[key] = `${(stat.mode & 0o777).toString(8)} ${stat.mtimeMs} ${readFileSync(path, 'utf8')}`;
    }
  };
  walk(root);
  return result;
}

function snapshotUserState(repo: string) {
  return {
    workingTree: snapshotWorkingTree(repo),
    index: readFileSync(join(repo, '.git', 'index')),
    head: readFileSync(join(repo, '.git', 'HEAD')),
    stash: git(repo, 'stash', 'list'),
    stashOid: git(repo, 'rev-parse', 'refs/stash'),
    // Untrimmed: the leading column of porcelain output tells staged from unstaged.
    status: execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf8' }),
    refs: git(repo, 'for-each-ref', '--format=%(refname) %(objectname)'),
  };
}

describe('createGitVcs safety', () => {
  it('delivers a commit to nightshift/s1 without touching working tree, index, HEAD, stash or other refs', async () => {
    const repo = createGitRepo({
      dir: join(makeTempDir(), 'repo'),
      commits: [{ files: { 'a.txt': 'a1\n', 'src/lib.ts': 'export const x = 1;\n', 'bin/run.sh*': '#!/bin/sh\n', 'docs/readme.md': 'docs\n' } }],
    });
    symlinkSync('../a.txt', join(repo, 'src', 'a-link'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'add link');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFiles(repo, { 'src/feature.ts': 'export const f = 1;\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'feature work');
    writeFiles(repo, { 'a.txt': 'stashed edit\n' });
    git(repo, 'stash', 'push', '-q', '-m', 'wip');
    writeFiles(repo, { 'src/lib.ts': 'export const x = 2; // staged\n' });
    git(repo, 'add', 'src/lib.ts');
    writeFiles(repo, { 'docs/readme.md': 'docs, edited but not staged\n', 'notes.txt': 'untracked\n' });
    const before = snapshotUserState(repo);
    expect(before.status).toBe(' M docs/readme.md\nM  src/lib.ts\n?? notes.txt\n');
    expect(before.stash).toContain('wip');

    const vcs = createGitVcs();
    const info = await vcs.inspectRepo({ repoDir: repo });
    expect(info).toEqual({ root: repo, headOid: git(repo, 'rev-parse', 'feature'), currentBranch: 'feature' });
    const workspace = join(makeTempDir(), 'ws');
    await vcs.materialize({ repoDir: repo, commitOid: info.headOid, workspaceDir: workspace });
    // The workspace holds the commit, not the user's uncommitted edits.
    expect(readFileSync(join(workspace, 'src/lib.ts'), 'utf8')).toBe('export const x = 1;\n');
    expect(readFileSync(join(workspace, 'docs/readme.md'), 'utf8')).toBe('docs\n');
    expect(readdirSync(workspace).sort()).toEqual(['a.txt', 'bin', 'docs', 'src']);
    const oid = await vcs.commit({
      repoDir: repo,
      parentOid: info.headOid,
      changes: [
        { path: 'a.txt', before: 'a1\n', after: 'a2\n' },
        { path: 'src/new/deep.ts', before: null, after: 'export const d = 1;\n' },
        { path: 'docs/readme.md', before: 'docs\n', after: null },
      ],
      message: 'Nightshift: step 1\n\nDetails.',
      author: { name: 'Nightshift', email: 'nightshift@example.com', timestamp: 1_700_000_000 },
    });
    await vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s1', oid, expectedOid: null });

    const after = snapshotUserState(repo);
    expect(after.workingTree).toEqual(before.workingTree);
    expect(after.index.equals(before.index)).toBe(true);
    expect(after.head.equals(before.head)).toBe(true);
    expect(after.stash).toBe(before.stash);
    expect(after.stashOid).toBe(before.stashOid);
    expect(after.status).toBe(before.status);
    expect(after.refs).toBe(`${before.refs}\nrefs/heads/nightshift/s1 ${oid}`.split('\n').sort().join('\n'));
    expect(execFileSync('git', ['fsck', '--full', '--strict'], { cwd: repo, encoding: 'utf8', stdio: 'pipe' })).toBe('');
    expect(git(repo, 'log', '-1', '--format=%H%n%P%n%an <%ae> %at%n%B', 'nightshift/s1')).toBe(
      `${oid}\n${info.headOid}\nNightshift <nightshift@example.com> 1700000000\nNightshift: step 1\n\nDetails.`,
    );
    expect(git(repo, 'diff', '--name-status', 'feature', 'nightshift/s1')).toBe('M\ta.txt\nD\tdocs/readme.md\nA\tsrc/new/deep.ts');
    expect(git(repo, 'show', 'nightshift/s1:src/new/deep.ts')).toBe('export const d = 1;');
    expect(git(repo, 'ls-tree', 'nightshift/s1', 'bin/run.sh', 'src/a-link')).toMatch(/^100755 blob \w+\tbin\/run.sh\n120000 blob \w+\tsrc\/a-link$/);
  });

  it('leaves no stray files in .git besides objects and the delivered ref', async () => {
    const repo = createGitRepo({ dir: join(makeTempDir(), 'repo'), commits: [{ files: { 'a.txt': 'a\n' } }] });
    const listGitDir = () =>
      execFileSync('find', ['.git', '-not', '-path', '.git/objects/*'], { cwd: repo, encoding: 'utf8' }).split('\n').sort();
    const before = listGitDir();
    writeFileSync(join(repo, 'unrelated.txt'), 'x');
    const vcs = createGitVcs();
    const { headOid } = await vcs.inspectRepo({ repoDir: repo });
    const oid = await vcs.commit({
      repoDir: repo,
      parentOid: headOid,
      changes: [{ path: 'b.txt', before: null, after: 'b\n' }],
      message: 'add b',
      author: { name: 'N', email: 'n@example.com', timestamp: 1_700_000_000 },
    });
    await vcs.updateBranch({ repoDir: repo, branch: 'nightshift/s1', oid, expectedOid: null });
    const added = listGitDir().filter((path) => !before.includes(path));
    expect(added).toEqual(['.git/refs/heads/nightshift', '.git/refs/heads/nightshift/s1']);
    expect(execFileSync('find', ['.git/objects', '-name', 'tmp_obj_*'], { cwd: repo, encoding: 'utf8' })).toBe('');
  });
});
