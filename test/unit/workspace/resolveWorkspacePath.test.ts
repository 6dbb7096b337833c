import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathEscapeError } from '../../../src/engine/workspace/PathEscapeError.js';
import { resolveWorkspacePath } from '../../../src/engine/workspace/resolveWorkspacePath.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

function refusal(root: string, path: string): PathEscapeError {
  try {
    resolveWorkspacePath({ root, path });
  } catch (error) {
    expect(error).toBeInstanceOf(PathEscapeError);
    return error as PathEscapeError;
  }
  throw new Error(`expected ${JSON.stringify(path)} to be refused`);
}

describe('resolveWorkspacePath', () => {
  it('resolves relative paths inside the root, existing or not', () => {
    const root = makeTempDir();
    mkdirSync(join(root, 'src'));
    expect(resolveWorkspacePath({ root, path: 'src/a.py' })).toBe(join(root, 'src/a.py'));
    expect(resolveWorkspacePath({ root, path: './new/dir/b.ts' })).toBe(join(root, 'new/dir/b.ts'));
    expect(resolveWorkspacePath({ root, path: 'src//c.py' })).toBe(join(root, 'src/c.py'));
  });

  it.each([
    ['', 'is empty'],
    ['/etc/passwd', 'is absolute'],
    ['C:/Windows/system32', 'is an absolute Windows path'],
    ['c:relative', 'is an absolute Windows path'],
    ['\\\\server\\share\\x', 'contains a backslash (use forward slashes)'],
    ['src\\a.py', 'contains a backslash (use forward slashes)'],
    ['../outside.txt', 'contains a ".." segment'],
    ['src/../../x', 'contains a ".." segment'],
    ['a\0b', 'contains a NUL byte'],
    ['.git/config', 'touches .git'],
    ['.git', 'touches .git'],
    ['sub/.git/config', 'touches .git'],
    ['sub/.GIT/HEAD', 'touches .git'],
    ['.', 'names the workspace root, not a file'],
  ])('refuses %j (%s)', (path, reason) => {
    const root = makeTempDir();
    const error = refusal(root, path);
    expect(error.reason).toBe(reason);
    expect(error.code).toBe('PATH_ESCAPE');
    expect(error.context).toMatchObject({ path, reason });
  });

  it('allows names that merely contain dots or "git"', () => {
    const root = makeTempDir();
    expect(resolveWorkspacePath({ root, path: '..hidden/x' })).toBe(join(root, '..hidden/x'));
    expect(resolveWorkspacePath({ root, path: '.gitignore' })).toBe(join(root, '.gitignore'));
    expect(resolveWorkspacePath({ root, path: 'docs/.github-notes.md' })).toBe(join(root, 'docs/.github-notes.md'));
  });

  it('refuses a path through a symlinked directory that points outside the root', () => {
    const root = makeTempDir();
    const outside = makeTempDir();
    symlinkSync(outside, join(root, 'escape'));
    expect(refusal(root, 'escape/file.txt').reason).toBe('passes through the symlink "escape"; edits never follow symlinks');
    expect(refusal(root, 'escape/deeper/new.txt').reason).toContain('passes through the symlink "escape"');
  });

  it('refuses a file that is a symlink, dangling or not, wherever it points', () => {
    const root = makeTempDir();
    const outside = makeTempDir();
    writeFileSync(join(outside, 'secret.txt'), 'x');
    writeFileSync(join(root, 'inside.txt'), 'x');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    symlinkSync(join(outside, 'not-yet.txt'), join(root, 'dangling.txt'));
    symlinkSync('inside.txt', join(root, 'alias.txt'));
    for (const path of ['link.txt', 'dangling.txt', 'alias.txt', './alias.txt']) {
      expect(refusal(root, path).reason).toBe('is a symlink; only regular files can be read or changed');
    }
  });

  it('refuses symlinked folders that stay inside the root, at any depth', () => {
    const root = makeTempDir();
    mkdirSync(join(root, 'real/deep'), { recursive: true });
    mkdirSync(join(root, '.git'));
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    symlinkSync('deep', join(root, 'real/relative-alias'));
    symlinkSync(join(root, '.git'), join(root, 'gitdir'));
    expect(refusal(root, 'alias/x.py').reason).toContain('passes through the symlink "alias"');
    expect(refusal(root, 'real/relative-alias/x.py').reason).toContain('passes through the symlink "real/relative-alias"');
    expect(refusal(root, 'gitdir/config').reason).toContain('passes through the symlink "gitdir"');
    expect(resolveWorkspacePath({ root, path: 'real/deep/x.py' })).toBe(join(root, 'real/deep/x.py'));
  });

  it('leaves a file under a file to the conflict check', () => {
    const root = makeTempDir();
    writeFileSync(join(root, 'plain.txt'), 'x');
    expect(resolveWorkspacePath({ root, path: 'plain.txt/child' })).toBe(join(root, 'plain.txt/child'));
  });

  it('works when the root itself is reached through a symlink', () => {
    const base = makeTempDir();
    mkdirSync(join(base, 'real-root'));
    symlinkSync(join(base, 'real-root'), join(base, 'root-link'));
    const root = join(base, 'root-link');
    expect(resolveWorkspacePath({ root, path: 'a/b.txt' })).toBe(join(root, 'a/b.txt'));
  });
});
