import { readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestEngine } from '../../utils/createTestEngine.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

const BASIC = 'def add(a, b):\n    return a + b\n';
const MUL = `${BASIC}\n\ndef mul(a, b):\n    return a * b\n`;
const MUL_TEST = 'from calc.basic import mul\n\n\ndef test_mul():\n    assert mul(3, 4) == 12\n';

const write = (path: string, content: string) => ({ kind: 'write', path, content });
const edits = (...list: unknown[]) => ({ explanation: 'scripted answer', edits: list });

describe('a GREEN write through a tracked symlink', () => {
  it('is refused by path-safety, so neither the link nor its target changes in the commit', { timeout: 300_000 }, async () => {
    const root = makeTempDir();
    const repoDir = createGitRepo({
      dir: join(root, 'calc'),
      commits: [
        {
          files: {
            'pytest.ini': '[pytest]\ntestpaths = tests\n',
            'calc/__init__.py': '',
            'calc/basic.py': BASIC,
            'tests/test_basic.py': 'from calc.basic import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n',
            '.gitignore': '__pycache__/\n.pytest_cache/\n',
            'TASKS.md': '# Backlog\n\n## T1: Add a mul function\nAdd mul(a, b) to calc/basic.py that returns the product of a and b.\nFiles: calc/basic.py, tests/test_mul.py\n',
          },
        },
      ],
    });
    // Both links stay inside the repository, so a check that only asks "where does it land?" lets them through.
    symlinkSync('basic.py', join(repoDir, 'calc/ops.py'));
    symlinkSync('calc', join(repoDir, 'calc_alias'));
    git(repoDir, 'add', '-A');
    git(repoDir, 'commit', '-q', '-m', 'links inside the repository');
    const baseOid = git(repoDir, 'rev-parse', 'HEAD');
    const before = snapshotUserRepo(repoDir);

    const scriptPath = join(root, 'script.json');
    writeFileSync(
      scriptPath,
      JSON.stringify({
        models: { brain: 'scripted-brain', coder: 'scripted-coder', qa: 'scripted-qa' },
        tasks: {
          T1: {
            plan: [
              {
                restatement: 'Add mul(a, b) to calc/basic.py with a test in tests/test_mul.py.',
                testFile: 'tests/test_mul.py',
                targetFiles: ['calc/basic.py'],
                requiredImports: ['from calc.basic import mul'],
                definitionOfDone: [{ description: 'the new test passes', command: 'python3 -m pytest -q tests/test_mul.py' }],
              },
            ],
            red: [edits(write('tests/test_mul.py', MUL_TEST))],
            green: [
              // Through the file link: on disk this is calc/basic.py, so every rail would pass on it, while the
              // commit would store the code as the link's target.
              edits(write('calc/ops.py', MUL)),
              // Through the folder link: on disk calc/basic.py again, in the commit a file under a symlink.
              edits(write('calc_alias/basic.py', MUL)),
              edits(write('calc/basic.py', MUL)),
            ],
            review: [{ verdict: 'GO', quotedAsk: 'returns the product of a and b', findings: [], summary: 'Meets the ask; the test bites.' }],
          },
        },
      }),
    );

    const host = await createTestEngine({ dataDir: join(root, 'data'), scriptPath });
    const outcome = await host.engine.runSession({ projectDir: repoDir });
    const task = outcome.tasks[0]!;
    expect(task.status).toBe('done');
    const attempts = host.store.explain(task.id)!.attempts.map((attempt) => ({
      decision: attempt.decision,
      failed: attempt.rails.filter((rail) => !rail.passed && !rail.skipped).map((rail) => `${rail.name}: ${rail.file ?? ''}`),
    }));
    expect(attempts).toEqual([
      { decision: 'RETRY', failed: ['path-safety: calc/ops.py'] },
      { decision: 'RETRY', failed: ['path-safety: calc_alias/basic.py'] },
      { decision: 'COMMIT', failed: [] },
    ]);
    const refusals = host.store.explain(task.id)!.attempts.slice(0, 2).map((attempt) => attempt.rails.find((rail) => rail.name === 'path-safety')!.detail);
    expect(refusals[0]).toContain('is a symlink');
    expect(refusals[1]).toContain('passes through the symlink "calc_alias"');

    // The branch holds the code at the real path; both links are exactly as they were, still links.
    const branch = outcome.session.branch;
    expect(git(repoDir, 'diff', '--name-only', baseOid, branch).split('\n').sort()).toEqual(['calc/basic.py', 'tests/test_mul.py']);
    expect(git(repoDir, 'ls-tree', branch, 'calc/ops.py', 'calc_alias')).toMatch(/^120000 blob \w+\tcalc\/ops\.py\n120000 blob \w+\tcalc_alias$/);
    expect(git(repoDir, 'ls-tree', baseOid, 'calc/ops.py', 'calc_alias')).toBe(git(repoDir, 'ls-tree', branch, 'calc/ops.py', 'calc_alias'));
    expect(git(repoDir, 'show', `${branch}:calc/basic.py`)).toBe(MUL.trimEnd());
    expect(readlinkSync(join(repoDir, 'calc/ops.py'))).toBe('basic.py');
    expect(readFileSync(join(repoDir, 'calc/basic.py'), 'utf8')).toBe(BASIC);
    expect(snapshotUserRepo(repoDir)).toEqual(before);
    await host.dispose();
  });
});
