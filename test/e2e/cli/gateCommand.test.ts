import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateReportSchema, type GateReport } from '../../../src/shared/gateReportSchema.js';
import { pythonFiles } from '../../fixtures/createPythonFixture.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { runCli } from '../../utils/runCli.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

const DIVIDE_TEST = 'import pytest\n\nfrom calc.divide import divide\n\n\ndef test_divides():\n    assert divide(7, 2) == 3.5\n\n\ndef test_zero_raises():\n    with pytest.raises(ValueError):\n        divide(1, 0)\n';
const DIVIDE = 'def divide(a, b):\n    if b == 0:\n        raise ValueError("cannot divide by zero")\n    return a / b\n';
const BASIC_TEST = pythonFiles['tests/test_basic.py']!;

/** A git-style diff of whole-file changes; `null` is an absent side. */
function patchOf(changes: Array<{ path: string; before: string | null; after: string | null }>): string {
  return changes
    .map(({ path, before, after }) =>
      createTwoFilesPatch(before === null ? '/dev/null' : `a/${path}`, after === null ? '/dev/null' : `b/${path}`, before ?? '', after ?? '').replace(/^=+\n/m, ''),
    )
    .join('');
}

const good = [
  { path: 'tests/test_divide.py', before: null, after: DIVIDE_TEST },
  { path: 'calc/divide.py', before: null, after: DIVIDE },
];

describe('nightshift gate', () => {
  let root: string;
  let repoDir: string;
  let outside: string;
  let taskPath: string;
  let snapshot: Record<string, string>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nightshift-gate-test-'));
    outside = join(root, 'outside');
    mkdirSync(outside);
    repoDir = createGitRepo({ dir: join(root, 'repo'), commits: [{ files: pythonFiles }] });
    symlinkSync(outside, join(repoDir, 'linked'));
    git(repoDir, 'add', 'linked');
    git(repoDir, 'commit', '-q', '-m', 'a link out of the repository');
    taskPath = join(root, 'task.json');
    writeFileSync(
      taskPath,
      JSON.stringify({ id: 'T1', title: 'Add divide', description: 'divide(a, b) raises ValueError when b is 0', targetFiles: ['calc/divide.py'] }),
    );
    snapshot = snapshotUserRepo(repoDir);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const gate = (name: string, patch: string, task = taskPath): { code: number | null; report: GateReport } => {
    const patchPath = join(root, `${name}.diff`);
    writeFileSync(patchPath, patch);
    const result = runCli({ args: ['gate', '--repo', repoDir, '--task', task, '--patch', patchPath, '--json', '--sandbox', 'native'] });
    expect(result.stderr).toBe('');
    return { code: result.code, report: gateReportSchema.parse(JSON.parse(result.stdout)) };
  };
  const failing = (report: GateReport) => report.rails.filter((rail) => !rail.passed && !rail.skipped).map((rail) => rail.name);

  it('says GO to a correct patch, with every rail passed and no fingerprint', () => {
    const { code, report } = gate('good', patchOf(good));
    expect(code).toBe(0);
    expect(report.verdict).toBe('GO');
    expect(report.fingerprint).toBeNull();
    expect(report.rails.map((rail) => rail.name)).toEqual([
      'path-safety', 'protected-paths', 'scope', 'syntax', 'lint', 'typecheck', 'test-integrity', 'diff-size', 'stubs', 'bite', 'suite',
    ]);
    expect(snapshotUserRepo(repoDir)).toEqual(snapshot);
  });

  const cases: Array<[string, () => string, string]> = [
    ['a test that passes without the fix', () => patchOf([{ path: 'tests/test_divide.py', before: null, after: 'from calc.basic import add\n\n\ndef test_add_again():\n    assert add(1, 1) == 2\n' }, good[1]!]), 'bite'],
    ['a patch touching a protected path', () => patchOf([...good, { path: '.github/workflows/ci.yml', before: null, after: 'on: push\n' }]), 'protected-paths'],
    ['a deleted test', () => patchOf([...good, { path: 'tests/test_basic.py', before: BASIC_TEST, after: null }]), 'test-integrity'],
    ['a skipped test', () => patchOf([...good, { path: 'tests/test_basic.py', before: BASIC_TEST, after: BASIC_TEST.replace('def test_add', 'import pytest\n\n\n@pytest.mark.skip\ndef test_add') }]), 'test-integrity'],
    ['a weakened test', () => patchOf([...good, { path: 'tests/test_basic.py', before: BASIC_TEST, after: BASIC_TEST.replace('    assert add(2, 3) == 5\n', '    add(2, 3)\n') }]), 'test-integrity'],
    ['an absolute path', () => patchOf(good).concat(`--- /dev/null\n+++ /tmp/nightshift-evil.py\n@@ -0,0 +1 @@\n+x = 1\n`), 'path-safety'],
    ['a path climbing out with ..', () => patchOf([...good, { path: '../escape.py', before: null, after: 'x = 1\n' }]), 'path-safety'],
    ['a path through a symlink out of the repository', () => patchOf([...good, { path: 'linked/evil.py', before: null, after: 'x = 1\n' }]), 'path-safety'],
    ['a syntax error', () => patchOf([good[0]!, { path: 'calc/divide.py', before: null, after: 'def divide(a, b)\n    return a / b\n' }]), 'syntax'],
    ['a stub implementation', () => patchOf([good[0]!, { path: 'calc/divide.py', before: null, after: 'def divide(a, b):\n    raise NotImplementedError\n' }]), 'stubs'],
    ['an oversized diff', () => patchOf([...good, { path: 'calc/table.py', before: null, after: Array.from({ length: 450 }, (_, i) => `V${i} = ${i}\n`).join('') }]), 'diff-size'],
    ['a change outside the planned files', () => patchOf([...good, { path: 'calc/basic.py', before: pythonFiles['calc/basic.py']!, after: 'def add(a, b):\n    return b + a\n' }]), 'scope'],
  ];

  it.each(cases)('says NO_GO to %s and names the rail', (_name, makePatch, rail) => {
    const { code, report } = gate(rail, makePatch());
    expect(code).toBe(1);
    expect(report.verdict).toBe('NO_GO');
    expect(failing(report)).toContain(rail);
    expect(report.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(snapshotUserRepo(repoDir)).toEqual(snapshot);
    expect(existsSync(join(outside, 'evil.py'))).toBe(false);
    expect(existsSync(join(root, 'escape.py'))).toBe(false);
    expect(existsSync('/tmp/nightshift-evil.py')).toBe(false);
  });

  it('accepts a markdown task file', () => {
    const task = join(root, 'task.md');
    writeFileSync(task, '## T1: Add divide\ndivide(a, b) raises ValueError when b is 0\nFiles: calc/divide.py\n');
    expect(gate('markdown', patchOf(good), task).report.verdict).toBe('GO');
  });

  it('exits 2 with a clear message on bad input, touching nothing', () => {
    const patchPath = join(root, 'garbage.diff');
    writeFileSync(patchPath, '--- a/calc/basic.py\n+++ b/calc/basic.py\n@@ -1 +1 @@\n-this line is not in the file\n+x\n');
    const notApplying = runCli({ args: ['gate', '--repo', repoDir, '--task', taskPath, '--patch', patchPath, '--json'] });
    expect(notApplying.code).toBe(2);
    expect(notApplying.stderr).toMatch(/calc\/basic\.py/);
    const notRepo = runCli({ args: ['gate', '--repo', outside, '--task', taskPath, '--patch', patchPath] });
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toMatch(/git repository/i);
    const badTask = join(root, 'bad-task.json');
    writeFileSync(badTask, '{"title": 3}');
    const invalidTask = runCli({ args: ['gate', '--repo', repoDir, '--task', badTask, '--patch', patchPath] });
    expect(invalidTask.code).toBe(2);
    expect(invalidTask.stderr).toMatch(/id/);
    const missing = runCli({ args: ['gate', '--repo', repoDir, '--task', taskPath, '--patch', join(root, 'nope.diff')] });
    expect(missing.code).toBe(2);
    expect(snapshotUserRepo(repoDir)).toEqual(snapshot);
  });
});
