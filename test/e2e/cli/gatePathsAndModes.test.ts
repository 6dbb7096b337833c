import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateReportSchema, type GateReport } from '../../../src/shared/gateReportSchema.js';
import { pythonFiles } from '../../fixtures/createPythonFixture.js';
import { createGitRepo, git, writeFiles } from '../../utils/createGitRepo.js';
import { runCli } from '../../utils/runCli.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

const DIVIDE_TEST = 'import pytest\n\nfrom calc.divide import divide\n\n\ndef test_divides():\n    assert divide(7, 2) == 3.5\n\n\ndef test_zero_raises():\n    with pytest.raises(ValueError):\n        divide(1, 0)\n';
const DIVIDE = 'def divide(a, b):\n    if b == 0:\n        raise ValueError("cannot divide by zero")\n    return a / b\n';
const GOOD = { 'tests/test_divide.py': DIVIDE_TEST, 'calc/divide.py': DIVIDE };

/** A hand-written git-style diff of whole-file changes (what a model might send); `null` is an absent side. */
function patchOf(changes: Array<{ path: string; before: string | null; after: string | null }>): string {
  return changes
    .map(({ path, before, after }) =>
      createTwoFilesPatch(before === null ? '/dev/null' : `a/${path}`, after === null ? '/dev/null' : `b/${path}`, before ?? '', after ?? '').replace(/^=+\n/m, ''),
    )
    .join('');
}

// Every case runs the real CLI; on a loaded 2-core machine one run takes tens of seconds, the GO case longer.
describe('nightshift gate: only regular files, exactly as they will be committed', { timeout: 240_000 }, () => {
  let root: string;
  let repoDir: string;
  let taskPath: string;
  let snapshot: Record<string, string>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nightshift-gate-modes-'));
    repoDir = createGitRepo({ dir: join(root, 'repo'), commits: [{ files: { ...pythonFiles, 'docs/guide.md': '# Guide\n' } }] });
    symlinkSync('guide.md', join(repoDir, 'docs/latest.md'));
    git(repoDir, 'add', 'docs/latest.md');
    git(repoDir, 'commit', '-q', '-m', 'a link inside the repository');
    taskPath = join(root, 'task.json');
    writeFileSync(taskPath, JSON.stringify({ id: 'T1', title: 'Add divide', description: 'divide(a, b) raises ValueError when b is 0', targetFiles: [] }));
    snapshot = snapshotUserRepo(repoDir);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** The real git's diff of the good change plus `change`, made in a clone of the repository. */
  const gitPatch = (name: string, change: (dir: string) => void, diffFlags: string[] = []): string => {
    const dir = join(root, `clone-${name}`);
    git(root, 'clone', '-q', repoDir, dir);
    writeFiles(dir, GOOD);
    change(dir);
    git(dir, 'add', '-A');
    if (name === 'gitlink') git(dir, 'update-index', '--add', '--cacheinfo', `160000,${git(dir, 'rev-parse', 'HEAD')},vendor/lib`);
    return `${git(dir, 'diff', '--cached', ...diffFlags)}\n`;
  };

  const gate = (name: string, patch: string) => {
    const patchPath = join(root, `${name}.diff`);
    writeFileSync(patchPath, patch);
    const result = runCli({ args: ['gate', '--repo', repoDir, '--task', taskPath, '--patch', patchPath, '--json', '--sandbox', 'native'] });
    return result;
  };
  const reportOf = (stdout: string): GateReport => gateReportSchema.parse(JSON.parse(stdout));

  const binaryBasic = (dir: string) => writeFileSync(join(dir, 'calc/basic.py'), Buffer.from([0, 1, 2, 0x64, 0x65, 0x66, 0, 10]));
  const cases: Array<[string, () => string, string, string]> = [
    ['a new symlink to /etc', () => gitPatch('symlink', (dir) => symlinkSync('/etc', join(dir, 'etc-link'))), 'etc-link', 'is a symlink (mode 120000)'],
    [
      'a tracked symlink retargeted to /etc/passwd',
      () => gitPatch('retarget', (dir) => {
        rmSync(join(dir, 'docs/latest.md'));
        symlinkSync('/etc/passwd', join(dir, 'docs/latest.md'));
      }),
      'docs/latest.md',
      'is a symlink (mode 120000)',
    ],
    ['a mode change 100644 -> 100755 alone', () => gitPatch('mode', (dir) => chmodSync(join(dir, 'calc/basic.py'), 0o755)), 'calc/basic.py', 'is a mode change 100644 -> 100755'],
    ['a gitlink (submodule) added', () => gitPatch('gitlink', () => undefined), 'vendor/lib', 'is a gitlink (submodule, mode 160000)'],
    ['a GIT binary patch section', () => gitPatch('binary', binaryBasic, ['--binary']), 'calc/basic.py', 'is binary content (GIT binary patch)'],
    ['a "Binary files ... differ" section', () => gitPatch('differ', binaryBasic), 'calc/basic.py', 'is binary content ("Binary files a/calc/basic.py and b/calc/basic.py differ")'],
    ['a file under a file', () => patchOf([{ path: 'calc/basic.py/extra.py', before: null, after: 'X = 1\n' }]), 'calc/basic.py/extra.py', 'is under "calc/basic.py", which is a file'],
    ['a file where a folder is', () => patchOf([{ path: 'calc', before: null, after: 'X = 1\n' }]), 'calc', 'is a folder; a file cannot take its place'],
  ];

  it.each(cases)('says NO_GO by path-safety to %s, naming the path and what it is', (_name, makePatch, path, reason) => {
    const result = gate(`case-${cases.findIndex((entry) => entry[2] === path && entry[3] === reason)}`, makePatch());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = reportOf(result.stdout);
    expect(report.verdict).toBe('NO_GO');
    const pathSafety = report.rails.find((rail) => rail.name === 'path-safety');
    expect(pathSafety).toMatchObject({ passed: false, file: path });
    expect(pathSafety?.detail).toContain(`${JSON.stringify(path)} ${reason}`);
    // Nothing was written to judge, so no command ran on a tree that differs from what would be committed.
    expect(report.rails.filter((rail) => rail.name === 'bite' || rail.name === 'suite').every((rail) => rail.skipped)).toBe(true);
    expect(snapshotUserRepo(repoDir)).toEqual(snapshot);
  });

  it('refuses a binary patch that git apply turns into a broken suite', () => {
    const patch = gitPatch('binary-apply', binaryBasic, ['--binary']);
    const clone = join(root, 'apply-check');
    git(root, 'clone', '-q', repoDir, clone);
    writeFileSync(join(root, 'apply-check.diff'), patch);
    git(clone, 'apply', join(root, 'apply-check.diff'));
    const pytest = spawnSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: clone, encoding: 'utf8' });
    expect(pytest.status).not.toBe(0);
    const result = gate('binary-apply', patch);
    expect(result.code).toBe(1);
    expect(reportOf(result.stdout).rails[0]).toMatchObject({ name: 'path-safety', passed: false, file: 'calc/basic.py' });
  });

  it('says GO to the same change with a regular executable file, so only the refused kinds are refused', () => {
    const patch = gitPatch('executable', (dir) => writeFiles(dir, { 'scripts/check.sh*': '#!/bin/sh\npython3 -m pytest -q\n' }));
    expect(patch).toContain('new file mode 100755');
    const result = gate('executable', patch);
    expect(result.stderr).toBe('');
    expect(reportOf(result.stdout)).toMatchObject({ verdict: 'GO' });
    expect(result.code).toBe(0);
    expect(snapshotUserRepo(repoDir)).toEqual(snapshot);
  });

  it('exits 2 with a one-line message, no stack trace, for a patch that deletes a folder as if it were a file', () => {
    const result = gate('delete-folder', '--- a/calc\n+++ /dev/null\n@@ -1 +0,0 @@\n-X = 1\n');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe('nightshift: Cannot use the patch for calc: the file does not exist');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotUserRepo(repoDir)).toEqual(snapshot);
  });
});
