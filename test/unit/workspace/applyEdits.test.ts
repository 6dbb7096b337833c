import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/engine/workspace/applyEdits.js';
import { EditApplyError } from '../../../src/engine/workspace/EditApplyError.js';
import { PathEscapeError } from '../../../src/engine/workspace/PathEscapeError.js';
import { writeFiles } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const CALC = 'def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n';

function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('applyEdits', () => {
  it('writes, replaces and deletes, returning before/after per file', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'calc.py': CALC, 'old.txt': 'bye\n' });
    const changes = await applyEdits({
      root,
      edits: [
        { kind: 'replace', path: 'calc.py', search: '    return a - b\n', replace: '    return a - b\n\n\ndef mul(a, b):\n    return a * b\n' },
        { kind: 'write', path: 'pkg/new/mod.py', content: 'X = 1\n' },
        { kind: 'delete', path: 'old.txt' },
      ],
    });
    expect(changes).toEqual([
      { path: 'calc.py', before: CALC, after: `${CALC}\n\ndef mul(a, b):\n    return a * b\n` },
      { path: 'pkg/new/mod.py', before: null, after: 'X = 1\n' },
      { path: 'old.txt', before: 'bye\n', after: null },
    ]);
    expect(read(root, 'calc.py')).toContain('def mul');
    expect(read(root, 'pkg/new/mod.py')).toBe('X = 1\n');
    expect(existsSync(join(root, 'old.txt'))).toBe(false);
  });

  it('composes several edits to one file in order and reports the file once', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'calc.py': CALC });
    const changes = await applyEdits({
      root,
      edits: [
        { kind: 'replace', path: 'calc.py', search: 'return a + b', replace: 'return b + a' },
        { kind: 'replace', path: './calc.py', search: 'return b + a', replace: 'return a + b + 0' },
      ],
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]?.before).toBe(CALC);
    expect(changes[0]?.after).toContain('return a + b + 0');
  });

  it('drops files whose edits cancel out', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'one\n' });
    const changes = await applyEdits({
      root,
      edits: [
        { kind: 'write', path: 'a.txt', content: 'two\n' },
        { kind: 'write', path: 'a.txt', content: 'one\n' },
      ],
    });
    expect(changes).toEqual([]);
  });

  it('writes nothing when a later edit does not apply (search missing), and shows the nearest lines', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'calc.py': CALC });
    const error = await rejection(
      applyEdits({
        root,
        edits: [
          { kind: 'write', path: 'fresh.py', content: 'x = 1\n' },
          { kind: 'replace', path: 'calc.py', search: 'def sub(a, b):\n    return a-b\n', replace: 'nope' },
        ],
      }),
    );
    expect(error).toBeInstanceOf(EditApplyError);
    const editError = error as EditApplyError;
    expect(editError.failureType).toBe('localization');
    expect(editError.message).toContain('edit #2 to calc.py');
    expect(editError.message).toContain('5 | def sub(a, b):');
    expect(editError.message).toContain('6 |     return a - b');
    expect(existsSync(join(root, 'fresh.py'))).toBe(false);
    expect(read(root, 'calc.py')).toBe(CALC);
  });

  it('says when the search text only matches with different whitespace', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'calc.py': CALC });
    const error = (await rejection(
      applyEdits({ root, edits: [{ kind: 'replace', path: 'calc.py', search: 'def add(a, b):\n  return a + b', replace: '' }] }),
    )) as EditApplyError;
    expect(error.message).toContain('only when whitespace is ignored');
  });

  it('refuses an ambiguous search and names the lines where it occurs', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'calc.py': CALC });
    const error = (await rejection(
      applyEdits({ root, edits: [{ kind: 'replace', path: 'calc.py', search: '(a, b):', replace: '(x, y):' }] }),
    )) as EditApplyError;
    expect(error).toBeInstanceOf(EditApplyError);
    expect(error.message).toContain('occurs 2 times (at lines 1, 5)');
    expect(read(root, 'calc.py')).toBe(CALC);
  });

  it('refuses deleting or replacing in a missing file', async () => {
    const root = makeTempDir();
    const deleting = (await rejection(applyEdits({ root, edits: [{ kind: 'delete', path: 'ghost.py' }] }))) as EditApplyError;
    expect(deleting.failureType).toBe('localization');
    expect(deleting.message).toContain('does not exist');
    const replacing = (await rejection(
      applyEdits({ root, edits: [{ kind: 'replace', path: 'ghost.py', search: 'a', replace: 'b' }] }),
    )) as EditApplyError;
    expect(replacing.message).toContain('use a write edit');
  });

  it('validates every path before touching disk', async () => {
    const root = makeTempDir();
    const error = await rejection(
      applyEdits({
        root,
        edits: [
          { kind: 'write', path: 'ok.py', content: 'x\n' },
          { kind: 'write', path: '../escape.py', content: 'x\n' },
        ],
      }),
    );
    expect(error).toBeInstanceOf(PathEscapeError);
    expect(existsSync(join(root, 'ok.py'))).toBe(false);
  });

  it('rolls back files already written when a later write fails', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'original\n', 'gone.txt': 'bye\n' });
    const error = (await rejection(
      applyEdits({
        root,
        edits: [
          { kind: 'write', path: 'a.txt', content: 'changed\n' },
          { kind: 'delete', path: 'gone.txt' },
          // Passes every check (nothing on its path exists yet) and fails only when written: the name is too long.
          { kind: 'write', path: `new/${'n'.repeat(300)}.txt`, content: 'x\n' },
        ],
      }),
    )) as EditApplyError;
    expect(error).toBeInstanceOf(EditApplyError);
    expect(error.failureType).toBe('environment');
    expect(error.path).toBe(`new/${'n'.repeat(300)}.txt`);
    expect(error.message).toContain('rolled back');
    expect(read(root, 'a.txt')).toBe('original\n');
    expect(read(root, 'gone.txt')).toBe('bye\n');
  });

  it('refuses a file under a file, or where a folder is, before writing anything', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'original\n', 'plain.txt': 'x', 'dir/x': '' });
    const under = (await rejection(
      applyEdits({
        root,
        edits: [
          { kind: 'write', path: 'a.txt', content: 'changed\n' },
          { kind: 'write', path: 'blocker', content: 'a file\n' },
          { kind: 'write', path: 'blocker/child.txt', content: 'x\n' },
        ],
      }),
    )) as EditApplyError;
    expect(under).toBeInstanceOf(EditApplyError);
    expect(under.failureType).toBe('localization');
    expect(under.path).toBe('blocker/child.txt');
    expect(under.message).toContain('is under "blocker", which the same change writes as a file');
    expect(read(root, 'a.txt')).toBe('original\n');
    expect(existsSync(join(root, 'blocker'))).toBe(false);

    const onDisk = (await rejection(applyEdits({ root, edits: [{ kind: 'write', path: 'plain.txt/child', content: 'x' }] }))) as EditApplyError;
    expect(onDisk.failureType).toBe('localization');
    expect(onDisk.message).toContain('is under "plain.txt", which is a file');
    expect(read(root, 'plain.txt')).toBe('x');
  });

  it('turns a file into a folder when the same edits delete the file', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'calc.py': 'x = 1\n' });
    const changes = await applyEdits({
      root,
      edits: [
        { kind: 'write', path: 'calc.py/__init__.py', content: 'x = 2\n' },
        { kind: 'delete', path: 'calc.py' },
      ],
    });
    expect(changes).toEqual([
      { path: 'calc.py/__init__.py', before: null, after: 'x = 2\n' },
      { path: 'calc.py', before: 'x = 1\n', after: null },
    ]);
    expect(read(root, 'calc.py/__init__.py')).toBe('x = 2\n');
  });

  it('never reads or writes through a symlink, even one that stays inside the workspace', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'real/mod.py': 'x = 1\n' });
    symlinkSync('real/mod.py', join(root, 'alias.py'));
    symlinkSync('real', join(root, 'aliasdir'));
    for (const edit of [
      { kind: 'write' as const, path: 'alias.py', content: '/etc/passwd' },
      { kind: 'replace' as const, path: 'alias.py', search: 'x = 1', replace: 'x = 2' },
      { kind: 'delete' as const, path: 'alias.py' },
      { kind: 'write' as const, path: 'aliasdir/mod.py', content: 'x = 3\n' },
      { kind: 'write' as const, path: 'aliasdir/new.py', content: 'x = 4\n' },
    ]) {
      const error = (await rejection(applyEdits({ root, edits: [edit] }))) as PathEscapeError;
      expect(error).toBeInstanceOf(PathEscapeError);
      expect(error.reason).toMatch(edit.path === 'alias.py' ? /^is a symlink/ : /^passes through the symlink "aliasdir"/);
    }
    expect(read(root, 'real/mod.py')).toBe('x = 1\n');
    expect(readlinkSync(join(root, 'alias.py'))).toBe('real/mod.py');
    expect(existsSync(join(root, 'real/new.py'))).toBe(false);
  });

  it('refuses to write onto a directory or below a regular file', async () => {
    const root = makeTempDir();
    mkdirSync(join(root, 'dir'));
    writeFileSync(join(root, 'dir', 'x'), '');
    const error = (await rejection(applyEdits({ root, edits: [{ kind: 'write', path: 'dir', content: 'x' }] }))) as EditApplyError;
    expect(error.message).toContain('the path is a directory');
    writeFileSync(join(root, 'plain.txt'), 'x');
    const below = (await rejection(applyEdits({ root, edits: [{ kind: 'write', path: 'plain.txt/child', content: 'x' }] }))) as EditApplyError;
    expect(below.failureType).toBe('localization');
  });
});
