import { describe, expect, it } from 'vitest';
import { changesFromUnifiedDiff } from '../../../src/engine/workspace/changesFromUnifiedDiff.js';
import { PatchParseError } from '../../../src/engine/workspace/PatchParseError.js';

function reader(files: Record<string, string>) {
  const calls: string[] = [];
  return {
    calls,
    readBefore: async (path: string) => {
      calls.push(path);
      return files[path] ?? null;
    },
  };
}

async function parseError(patch: string, files: Record<string, string> = {}): Promise<PatchParseError> {
  try {
    await changesFromUnifiedDiff({ patch, readBefore: reader(files).readBefore });
  } catch (error) {
    expect(error).toBeInstanceOf(PatchParseError);
    return error as PatchParseError;
  }
  throw new Error('expected a PatchParseError');
}

describe('changesFromUnifiedDiff', () => {
  it('applies a git diff that modifies, creates and deletes files', async () => {
    const patch = [
      'diff --git a/calc.py b/calc.py',
      'index 1111111..2222222 100644',
      '--- a/calc.py',
      '+++ b/calc.py',
      '@@ -1,2 +1,5 @@',
      ' def add(a, b):',
      '     return a + b',
      '+',
      '+def mul(a, b):',
      '+    return a * b',
      'diff --git a/tests/test_mul.py b/tests/test_mul.py',
      'new file mode 100644',
      'index 0000000..3333333',
      '--- /dev/null',
      '+++ b/tests/test_mul.py',
      '@@ -0,0 +1,2 @@',
      '+def test_mul():',
      '+    assert True',
      'diff --git a/old.py b/old.py',
      'deleted file mode 100644',
      'index 4444444..0000000',
      '--- a/old.py',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x = 1',
      '',
    ].join('\n');
    const files = reader({ 'calc.py': 'def add(a, b):\n    return a + b\n', 'old.py': 'x = 1\n' });
    const changes = await changesFromUnifiedDiff({ patch, readBefore: files.readBefore });
    expect(changes).toEqual([
      { path: 'calc.py', before: 'def add(a, b):\n    return a + b\n', after: 'def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a * b\n' },
      { path: 'tests/test_mul.py', before: null, after: 'def test_mul():\n    assert True\n' },
      { path: 'old.py', before: 'x = 1\n', after: null },
    ]);
    expect(files.calls).toEqual(['calc.py', 'tests/test_mul.py', 'old.py']);
  });

  it('keeps paths of plain `diff -u` output without a/ b/ prefixes', async () => {
    const patch = '--- src/a.txt\t2024-01-01 00:00:00\n+++ src/a.txt\t2024-01-02 00:00:00\n@@ -1 +1 @@\n-old\n+new\n';
    const changes = await changesFromUnifiedDiff({ patch, readBefore: reader({ 'src/a.txt': 'old\n' }).readBefore });
    expect(changes).toEqual([{ path: 'src/a.txt', before: 'old\n', after: 'new\n' }]);
  });

  it('turns a rename into a deletion plus an addition', async () => {
    const patch = [
      'diff --git a/old_name.py b/new_name.py',
      'similarity index 80%',
      'rename from old_name.py',
      'rename to new_name.py',
      '--- a/old_name.py',
      '+++ b/new_name.py',
      '@@ -1,2 +1,2 @@',
      ' x = 1',
      '-y = 2',
      '+y = 3',
      '',
    ].join('\n');
    const changes = await changesFromUnifiedDiff({ patch, readBefore: reader({ 'old_name.py': 'x = 1\ny = 2\n' }).readBefore });
    expect(changes).toEqual([
      { path: 'old_name.py', before: 'x = 1\ny = 2\n', after: null },
      { path: 'new_name.py', before: null, after: 'x = 1\ny = 3\n' },
    ]);
  });

  it('creates an empty new file from a header-only git section', async () => {
    const patch = 'diff --git a/empty.txt b/empty.txt\nnew file mode 100644\nindex 0000000..e69de29\n';
    const changes = await changesFromUnifiedDiff({ patch, readBefore: reader({}).readBefore });
    expect(changes).toEqual([{ path: 'empty.txt', before: null, after: '' }]);
  });

  it('composes two sections for the same file', async () => {
    const patch = ['--- a/f.txt', '+++ b/f.txt', '@@ -1 +1 @@', '-one', '+two', '--- a/f.txt', '+++ b/f.txt', '@@ -1 +1 @@', '-two', '+three', ''].join('\n');
    const files = reader({ 'f.txt': 'one\n' });
    const changes = await changesFromUnifiedDiff({ patch, readBefore: files.readBefore });
    expect(changes).toEqual([{ path: 'f.txt', before: 'one\n', after: 'three\n' }]);
    expect(files.calls).toEqual(['f.txt']);
  });

  it('passes unsafe paths through untouched, for the path-safety rail to report', async () => {
    const patch = '--- /dev/null\n+++ b/../../etc/evil\n@@ -0,0 +1 @@\n+x\n';
    const changes = await changesFromUnifiedDiff({ patch, readBefore: reader({}).readBefore });
    expect(changes).toEqual([{ path: '../../etc/evil', before: null, after: 'x\n' }]);
  });

  it('rejects text that is not a patch', async () => {
    expect((await parseError('just some words\n')).message).toContain('no file sections');
    expect((await parseError('')).message).toContain('no file sections');
  });

  it('rejects malformed hunks', async () => {
    const error = await parseError('--- a/x\n+++ b/x\n@@ -1 +1 @@\nnot a diff line\n', { x: 'a\n' });
    expect(error.code).toBe('PATCH_INVALID');
  });

  it('rejects a hunk that does not apply and names it', async () => {
    const patch = '--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-something else\n+new\n';
    const error = await parseError(patch, { 'x.py': 'actual content\n' });
    expect(error.message).toContain('x.py');
    expect(error.message).toContain('@@ -1,1 +1,1 @@ does not apply');
  });

  it('rejects patches to missing files, creations of existing files, and binary sections', async () => {
    expect((await parseError('--- a/missing\n+++ b/missing\n@@ -1 +1 @@\n-a\n+b\n')).message).toContain('does not exist');
    expect((await parseError('--- /dev/null\n+++ b/here\n@@ -0,0 +1 @@\n+a\n', { here: 'x\n' })).message).toContain('already exists');
    const binary = 'diff --git a/img.png b/img.png\nindex 1..2 100644\nBinary files a/img.png and b/img.png differ\n';
    expect((await parseError(binary, { 'img.png': '' })).message).toContain('binary');
  });
});
