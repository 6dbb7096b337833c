import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
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
    expect(refusal(root, 'escape/file.txt').reason).toContain(`resolves through a symlink to ${realpathSync(outside)}`);
    expect(refusal(root, 'escape/deeper/new.txt').reason).toContain('outside the workspace');
  });

  it('refuses a file that is a symlink to a file outside the root', () => {
    const root = makeTempDir();
    const outside = makeTempDir();
    writeFileSync(join(outside, 'secret.txt'), 'x');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    expect(refusal(root, 'link.txt').reason).toContain('outside the workspace');
  });

  it('refuses a dangling symlink whose target is outside the root, since a write would create it', () => {
    const root = makeTempDir();
    const outside = makeTempDir();
    symlinkSync(join(outside, 'not-yet.txt'), join(root, 'dangling.txt'));
    expect(refusal(root, 'dangling.txt').reason).toContain('outside the workspace');
  });

  it('refuses a symlink that leads into .git', () => {
    const root = makeTempDir();
    mkdirSync(join(root, '.git'));
    symlinkSync(join(root, '.git'), join(root, 'gitdir'));
    expect(refusal(root, 'gitdir/config').reason).toBe('resolves through a symlink into .git');
  });

  it('allows symlinks that stay inside the root', () => {
    const root = makeTempDir();
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    symlinkSync('real', join(root, 'relative-alias'));
    expect(resolveWorkspacePath({ root, path: 'alias/x.py' })).toBe(join(root, 'alias/x.py'));
    expect(resolveWorkspacePath({ root, path: 'relative-alias/x.py' })).toBe(join(root, 'relative-alias/x.py'));
  });

  it('works when the root itself is reached through a symlink', () => {
    const base = makeTempDir();
    mkdirSync(join(base, 'real-root'));
    symlinkSync(join(base, 'real-root'), join(base, 'root-link'));
    const root = join(base, 'root-link');
    expect(resolveWorkspacePath({ root, path: 'a/b.txt' })).toBe(join(root, 'a/b.txt'));
  });
});
