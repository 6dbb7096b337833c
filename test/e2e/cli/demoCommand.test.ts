import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

describe('nightshift demo', () => {
  it('creates the sample project, runs its night with the bundled answers and shows around', () => {
    const root = makeTempDir();
    const dataDir = join(root, 'data');
    const demo = runCli({ args: ['demo', '--dir', 'sample', '--data-dir', dataDir], cwd: root, timeoutMs: 540_000 });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).not.toMatch(/^\s+at /m);
    const projectDir = join(root, 'sample');

    // The night: T1 delivered, T2 delivered after the stubs rail refused a placeholder, T3 refused for its assertion-free test.
    const [entry] = JSON.parse(runCli({ args: ['status', '--project', projectDir, '--json', '--data-dir', dataDir] }).stdout) as Array<{
      session: { branch: string; baseCommit: string; status: string };
      tasks: Array<{ spec: { id: string }; status: string; attempts: number }>;
    }>;
    expect(entry!.session.status).toBe('completed');
    expect(entry!.tasks.map((task) => [task.spec.id, task.status, task.attempts])).toEqual([
      ['T1', 'done', 1],
      ['T2', 'done', 2],
      ['T3', 'deadlocked', 3],
    ]);
    const branch = entry!.session.branch;
    expect(git(projectDir, 'log', '--format=%s', `main..${branch}`).split('\n')).toEqual(['nightshift: T2 Truncate', 'nightshift: T1 Slugify']);
    expect(git(projectDir, 'show', `${branch}:src/slugify.js`)).toMatch(/export function slugify/);
    expect(git(projectDir, 'ls-tree', '--name-only', '-r', branch)).not.toMatch(/wordCount/);
    // The user's side of the repository is as the demo made it.
    expect(git(projectDir, 'rev-list', '--count', 'main')).toBe('1');
    expect(git(projectDir, 'status', '--porcelain')).toBe('');
    expect(git(projectDir, 'branch', '--show-current')).toBe('main');

    // The tour names the commands, and they work as printed.
    expect(demo.stdout).toContain(`nightshift status --project sample --data-dir ${dataDir}`);
    expect(demo.stdout).toContain(`nightshift explain T1 --project sample --data-dir ${dataDir}`);
    expect(demo.stdout).toContain(`nightshift explain T3 --project sample --data-dir ${dataDir}`);
    expect(demo.stdout).toContain(`git -C sample log --oneline ${branch}`);
    expect(demo.stdout).toMatch(/[0-9a-f]{7} nightshift: T2 Truncate\n\s+[0-9a-f]{7} nightshift: T1 Slugify/);
    const refused = runCli({ args: ['explain', 'T3', '--project', 'sample', '--data-dir', dataDir], cwd: root });
    expect(refused.code).toBe(0);
    expect(refused.stdout).toMatch(/Status: deadlocked/);
    expect(refused.stdout).toMatch(/asserts nothing: it passes whatever the code does/);
    const delivered = runCli({ args: ['explain', 'T1', '--project', 'sample', '--data-dir', dataDir], cwd: root });
    expect(delivered.stdout).toMatch(/Status: done/);
  }, 600_000);

  it('never writes into a folder that has files, and --no-run prints the run command instead', () => {
    const root = makeTempDir();
    const taken = join(root, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'notes.txt'), 'mine\n');
    const refused = runCli({ args: ['demo', '--dir', taken, '--data-dir', join(root, 'data')] });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists and is not empty/);
    expect(refused.stderr).toMatch(/--dir/);
    expect(existsSync(join(taken, '.git'))).toBe(false);

    const created = runCli({ args: ['demo', '--dir', 'fresh', '--no-run', '--data-dir', join(root, 'data')], cwd: root });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`nightshift run fresh --models scripted:fresh/answers.json --data-dir ${join(root, 'data')}`);
    expect(git(join(root, 'fresh'), 'ls-files').split('\n').sort()).toEqual(['README.md', 'TASKS.md', 'answers.json', 'package.json', 'src/capitalize.js', 'test/capitalize.test.js']);
    expect(existsSync(join(root, 'data', 'nightshift.db'))).toBe(false);
  });
});
