import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPathSafety } from '../../../src/engine/gates/checkPathSafety.js';
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
      expect.stringMatching(/^"out\/y\.py" resolves through a symlink to .* outside the workspace$/),
      '"/etc/z" is absolute',
    ]);
  });
});
