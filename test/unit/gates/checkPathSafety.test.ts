import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPathSafety } from '../../../src/engine/gates/checkPathSafety.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const add = (path: string) => ({ path, before: null, after: 'x' });

describe('checkPathSafety', () => {
  it('passes paths inside the workspace', () => {
    expect(checkPathSafety({ workspaceDir: makeTempDir(), changes: [add('src/a.py'), add('b.txt')] })).toMatchObject({ name: 'path-safety', passed: true });
  });

  it('reports every unsafe path, the first as the file', () => {
    const workspaceDir = makeTempDir();
    symlinkSync(makeTempDir(), join(workspaceDir, 'out'));
    const rail = checkPathSafety({ workspaceDir, changes: [add('ok.py'), add('../x.py'), add('.git/hooks/pre-commit'), add('out/y.py'), add('/etc/z')] });
    expect(rail).toMatchObject({ passed: false, failureType: 'scope', file: '../x.py' });
    expect(rail.detail.split('\n')).toEqual([
      '"../x.py" contains a ".." segment',
      '".git/hooks/pre-commit" touches .git',
      '"out/y.py" passes through the symlink "out"; edits never follow symlinks',
      '"/etc/z" is absolute',
    ]);
  });

  it('refuses a change the patch marked as not a regular file, naming the path and what it is', () => {
    const rail = checkPathSafety({
      workspaceDir: makeTempDir(),
      changes: [add('ok.py'), { path: 'etc', before: null, after: null, refused: 'a symlink (mode 120000)' }],
    });
    expect(rail).toMatchObject({ passed: false, file: 'etc' });
    expect(rail.detail).toBe('"etc" is a symlink (mode 120000); only regular text files (modes 100644/100755) may change');
  });

  it('refuses a file under a file or where a folder is, before or after the change is on disk', () => {
    const workspaceDir = makeTempDir();
    writeFiles(workspaceDir, { 'calc.py': 'x = 1\n', 'pkg/mod.py': '' });
    const conflicting = [add('calc.py/extra.py'), add('pkg'), add('new'), add('new/inner.py')];
    const rail = checkPathSafety({ workspaceDir, changes: conflicting });
    expect(rail.detail.split('\n')).toEqual([
      '"calc.py/extra.py" is under "calc.py", which is a file',
      '"pkg" is a folder; a file cannot take its place',
      '"new/inner.py" is under "new", which the same change writes as a file',
    ]);
    const fileToFolder = [{ path: 'calc.py', before: 'x = 1\n', after: null }, add('calc.py/__init__.py')];
    expect(checkPathSafety({ workspaceDir, changes: fileToFolder }).passed).toBe(true);
    rmSync(join(workspaceDir, 'calc.py'));
    writeFiles(workspaceDir, { 'calc.py/__init__.py': 'x' });
    expect(checkPathSafety({ workspaceDir, changes: fileToFolder }).passed).toBe(true);
  });

  it('refuses a tracked symlink even when it points inside the workspace', () => {
    const workspaceDir = makeTempDir();
    writeFiles(workspaceDir, { 'real.py': 'x = 1\n' });
    symlinkSync('real.py', join(workspaceDir, 'alias.py'));
    const rail = checkPathSafety({ workspaceDir, changes: [{ path: 'alias.py', before: 'x = 1\n', after: '/etc/passwd' }] });
    expect(rail).toMatchObject({ passed: false, file: 'alias.py', detail: '"alias.py" is a symlink; only regular files can be read or changed' });
  });
});
