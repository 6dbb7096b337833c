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

  it('rejects patches to missing files and creations of existing files', async () => {
    expect((await parseError('--- a/missing\n+++ b/missing\n@@ -1 +1 @@\n-a\n+b\n')).message).toContain('does not exist');
    expect((await parseError('--- /dev/null\n+++ b/here\n@@ -0,0 +1 @@\n+a\n', { here: 'x\n' })).message).toContain('already exists');
  });

  describe('git extended headers', () => {
    const section = (path: string, ...lines: string[]) => [`diff --git a/${path} b/${path}`, ...lines].join('\n');
    const refusals = async (patch: string, files: Record<string, string> = {}) =>
      (await changesFromUnifiedDiff({ patch: `${patch}\n`, readBefore: reader(files).readBefore })).map(({ path, refused }) => ({ path, refused }));

    it('refuses a new symlink instead of creating a text file holding its target', async () => {
      const patch = section('etc-link', 'new file mode 120000', 'index 0000000..34ed534', '--- /dev/null', '+++ b/etc-link', '@@ -0,0 +1 @@', '+/etc', '\\ No newline at end of file');
      const changes = await changesFromUnifiedDiff({ patch, readBefore: reader({}).readBefore });
      expect(changes).toEqual([{ path: 'etc-link', before: null, after: null, refused: 'a symlink (mode 120000)' }]);
    });

    it('refuses a retargeted symlink (mode only on the index line), keeping the content as it was', async () => {
      const patch = section('link', 'index 8d14cbf..3594e94 120000', '--- a/link', '+++ b/link', '@@ -1 +1 @@', '-a.txt', '\\ No newline at end of file', '+/etc/passwd', '\\ No newline at end of file');
      const changes = await changesFromUnifiedDiff({ patch, readBefore: reader({ link: 'a.txt' }).readBefore });
      expect(changes).toEqual([{ path: 'link', before: 'a.txt', after: 'a.txt', refused: 'a symlink (mode 120000)' }]);
    });

    it('refuses a deleted symlink, a gitlink, and a mode change, each with its path', async () => {
      expect(await refusals(section('old-link', 'deleted file mode 120000', 'index 34ed534..0000000', '--- a/old-link', '+++ /dev/null', '@@ -1 +0,0 @@', '-/etc', '\\ No newline at end of file'), { 'old-link': '/etc' })).toEqual([
        { path: 'old-link', refused: 'a symlink (mode 120000)' },
      ]);
      const gitlink = section('vendor/lib', 'new file mode 160000', 'index 0000000..1234567', '--- /dev/null', '+++ b/vendor/lib', '@@ -0,0 +1 @@', '+Subproject commit 1234567890123456789012345678901234567890');
      expect(await refusals(gitlink)).toEqual([{ path: 'vendor/lib', refused: 'a gitlink (submodule, mode 160000)' }]);
      expect(await refusals(section('run.sh', 'old mode 100644', 'new mode 100755'), { 'run.sh': 'echo hi\n' })).toEqual([
        { path: 'run.sh', refused: 'a mode change 100644 -> 100755' },
      ]);
      const modeAndText = section('run.sh', 'old mode 100755', 'new mode 100644', 'index 1111111..2222222', '--- a/run.sh', '+++ b/run.sh', '@@ -1 +1 @@', '-echo hi', '+echo bye');
      expect(await refusals(modeAndText, { 'run.sh': 'echo hi\n' })).toEqual([{ path: 'run.sh', refused: 'a mode change 100755 -> 100644' }]);
    });

    it('refuses binary sections in every form git writes them, never dropping them', async () => {
      const gitBinary = section('logo.png', 'index 88768ef..3e3315e 100644', 'GIT binary patch', 'literal 5', 'McmZQzO3KUw00MIXJOBUy', '', 'literal 5', 'McmZQzOv=my00M6TI{*Lx', '');
      expect(await refusals(gitBinary, { 'logo.png': '' })).toEqual([{ path: 'logo.png', refused: 'binary content (GIT binary patch)' }]);
      const differ = section('img.png', 'index 1111111..2222222 100644', 'Binary files a/img.png and b/img.png differ');
      expect(await refusals(differ, { 'img.png': '' })).toEqual([{ path: 'img.png', refused: 'binary content ("Binary files a/img.png and b/img.png differ")' }]);
      const newBinary = section('data.bin', 'new file mode 100644', 'index 0000000..2222222', 'Binary files /dev/null and b/data.bin differ');
      expect(await refusals(newBinary)).toEqual([{ path: 'data.bin', refused: 'binary content ("Binary files /dev/null and b/data.bin differ")' }]);
      const loose = 'Binary files a/blob.dat and b/blob.dat differ\n--- a/x.txt\n+++ b/x.txt\n@@ -1 +1 @@\n-a\n+b';
      expect(await changesFromUnifiedDiff({ patch: `${loose}\n`, readBefore: reader({ 'x.txt': 'a\n', 'blob.dat': 'x' }).readBefore })).toEqual([
        { path: 'blob.dat', before: 'x', after: 'x', refused: 'binary content ("Binary files a/blob.dat and b/blob.dat differ")' },
        { path: 'x.txt', before: 'a\n', after: 'b\n' },
      ]);
    });

    it('keeps regular files, executable ones included, next to a refused section', async () => {
      const patch = [
        section('tool.sh', 'new file mode 100755', 'index 0000000..1111111', '--- /dev/null', '+++ b/tool.sh', '@@ -0,0 +1 @@', '+echo hi'),
        section('calc.py', 'index 1111111..2222222 100755', '--- a/calc.py', '+++ b/calc.py', '@@ -1 +1 @@', '-x = 1', '+x = 2'),
        section('link', 'new file mode 120000', 'index 0000000..3333333', '--- /dev/null', '+++ b/link', '@@ -0,0 +1 @@', '+calc.py', '\\ No newline at end of file'),
        '',
      ].join('\n');
      expect(await changesFromUnifiedDiff({ patch, readBefore: reader({ 'calc.py': 'x = 1\n' }).readBefore })).toEqual([
        { path: 'tool.sh', before: null, after: 'echo hi\n' },
        { path: 'calc.py', before: 'x = 1\n', after: 'x = 2\n' },
        { path: 'link', before: null, after: null, refused: 'a symlink (mode 120000)' },
      ]);
    });

    it('refuses both sides of a renamed symlink', async () => {
      const patch = section('old-link', 'similarity index 100%', 'rename from old-link', 'rename to new-link', 'index 1111111..2222222 120000');
      expect(await refusals(patch, { 'old-link': 'target' })).toEqual([
        { path: 'old-link', refused: 'a symlink (mode 120000)' },
        { path: 'new-link', refused: 'a symlink (mode 120000)' },
      ]);
    });

    it('renames a regular file without content changes by moving its content', async () => {
      const patch = `${section('old.py', 'similarity index 100%', 'rename from old.py', 'rename to new.py')}\n`;
      expect(await changesFromUnifiedDiff({ patch, readBefore: reader({ 'old.py': 'x = 1\n' }).readBefore })).toEqual([
        { path: 'old.py', before: 'x = 1\n', after: null },
        { path: 'new.py', before: null, after: 'x = 1\n' },
      ]);
    });
  });
});
