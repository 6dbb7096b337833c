import { existsSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/engine/workspace/applyEdits.js';
import { PathEscapeError } from '../../../src/engine/workspace/PathEscapeError.js';
import { writeChanges } from '../../../src/engine/workspace/writeChanges.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

describe('writeChanges', () => {
  it('reverts a change set to its before side and restores the after side', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'calc.py': 'a = 1\n', 'gone.py': 'b = 2\n', 'pkg/keep.py': '' });
    const changes = await applyEdits({
      root,
      edits: [
        { kind: 'write', path: 'calc.py', content: 'a = 10\n' },
        { kind: 'delete', path: 'gone.py' },
        { kind: 'write', path: 'newpkg/sub/mod.py', content: 'c = 3\n' },
        { kind: 'write', path: 'pkg/added.py', content: 'd = 4\n' },
      ],
    });

    await writeChanges({ root, changes, side: 'before' });
    expect(readFileSync(join(root, 'calc.py'), 'utf8')).toBe('a = 1\n');
    expect(readFileSync(join(root, 'gone.py'), 'utf8')).toBe('b = 2\n');
    expect(existsSync(join(root, 'newpkg'))).toBe(false);
    expect(existsSync(join(root, 'pkg/added.py'))).toBe(false);
    expect(existsSync(join(root, 'pkg/keep.py'))).toBe(true);

    await writeChanges({ root, changes, side: 'after' });
    expect(readFileSync(join(root, 'calc.py'), 'utf8')).toBe('a = 10\n');
    expect(existsSync(join(root, 'gone.py'))).toBe(false);
    expect(readFileSync(join(root, 'newpkg/sub/mod.py'), 'utf8')).toBe('c = 3\n');
    expect(readFileSync(join(root, 'pkg/added.py'), 'utf8')).toBe('d = 4\n');
  });

  it('refuses unsafe paths before writing anything', async () => {
    const root = makeTempDir();
    await expect(
      writeChanges({
        root,
        changes: [
          { path: 'fine.txt', before: null, after: 'x' },
          { path: '../evil.txt', before: null, after: 'x' },
        ],
        side: 'after',
      }),
    ).rejects.toBeInstanceOf(PathEscapeError);
    expect(existsSync(join(root, 'fine.txt'))).toBe(false);
  });

  it('never writes a change marked refused, nor through a symlink', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'real.py': 'x = 1\n' });
    symlinkSync('real.py', join(root, 'alias.py'));
    const refused = writeChanges({ root, changes: [{ path: 'etc', before: null, after: null, refused: 'a symlink (mode 120000)' }], side: 'after' });
    await expect(refused).rejects.toThrow('Refused path "etc": is a symlink (mode 120000), which is never written.');
    const through = writeChanges({ root, changes: [{ path: 'alias.py', before: 'x = 1\n', after: '/etc/passwd' }], side: 'after' });
    await expect(through).rejects.toBeInstanceOf(PathEscapeError);
    expect(readFileSync(join(root, 'real.py'), 'utf8')).toBe('x = 1\n');
    expect(readlinkSync(join(root, 'alias.py'))).toBe('real.py');
  });

  it('removes before it writes, so a file can become a folder and back whatever the order of the changes', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'calc.py': 'x = 1\n' });
    const changes = [
      { path: 'calc.py/__init__.py', before: null, after: 'x = 2\n' },
      { path: 'calc.py', before: 'x = 1\n', after: null },
    ];
    await writeChanges({ root, changes, side: 'after' });
    expect(readFileSync(join(root, 'calc.py/__init__.py'), 'utf8')).toBe('x = 2\n');
    await writeChanges({ root, changes, side: 'before' });
    expect(readFileSync(join(root, 'calc.py'), 'utf8')).toBe('x = 1\n');
  });
});
