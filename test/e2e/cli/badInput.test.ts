import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { createGitRepo, git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

/** `nightshift run` on the repository with a scripted backend; everything under a fresh temp dir. */
function setup() {
  const root = makeTempDir();
  const { repoDir, scriptPath } = createPythonFixture({ parent: root });
  const dataDir = join(root, 'data');
  const run = (dir: string, ...extra: string[]) =>
    runCli({ args: ['run', dir, '--models', `scripted:${scriptPath}`, '--data-dir', dataDir, ...extra] });
  return { root, repoDir, scriptPath, dataDir, run };
}

describe('bad input gets a clear error and loses nothing', () => {
  it('refuses a folder that is not a git repository', () => {
    const { root, run } = setup();
    const plain = join(root, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'app.py'), 'x = 1\n');
    const result = run(plain);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a git repository/i);
    expect(result.stderr).toMatch(/git init/);
    expect(readFileSync(join(plain, 'app.py'), 'utf8')).toBe('x = 1\n');
  });

  it('refuses an empty repository', () => {
    const { root, run } = setup();
    const empty = createGitRepo({ dir: join(root, 'empty') });
    const result = run(empty);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no commits/i);
  });

  it('refuses a project whose test command cannot be found, before creating a session', () => {
    const { root, run, dataDir, scriptPath } = setup();
    const docs = createGitRepo({ dir: join(root, 'docs'), commits: [{ files: { 'README.md': '# docs\n', 'TASKS.md': '## T1: Write\nWrite more.\n' } }] });
    const result = run(docs);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/testCommand/);
    expect(result.stderr).toMatch(/nightshift\.json/);
    const status = runCli({ args: ['status', '--data-dir', dataDir, '--json'] });
    expect(JSON.parse(status.stdout)).toEqual([]);
    expect(scriptPath).toBeTruthy();
  });

  it('names the line of a malformed backlog and leaves the repository as it was', () => {
    const { repoDir, run } = setup();
    writeFileSync(join(repoDir, 'TASKS.md'), '## T1: First\nDo a thing.\n\n## T1: Again\nDuplicate id.\n');
    const before = snapshotUserRepo(repoDir);
    const result = run(repoDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/TASKS\.md:4:/);
    expect(snapshotUserRepo(repoDir)).toEqual(before);
  });

  it('refuses an unwritable data directory with a way out', () => {
    const { root, repoDir, scriptPath } = setup();
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const result = runCli({ args: ['run', repoDir, '--models', `scripted:${scriptPath}`, '--data-dir', join(blocker, 'data')] });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--data-dir|NIGHTSHIFT_HOME/);
    expect(readFileSync(blocker, 'utf8')).toBe('not a directory');
  });

  it('never recreates a corrupt database', () => {
    const { repoDir, dataDir, run } = setup();
    mkdirSync(dataDir, { recursive: true });
    const dbPath = join(dataDir, 'nightshift.db');
    writeFileSync(dbPath, Buffer.from('this is not a sqlite database, but it is the user\'s file'.repeat(100)));
    const digest = () => createHash('sha256').update(readFileSync(dbPath)).digest('hex');
    const before = digest();
    const result = run(repoDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nightshift\.db/);
    expect(result.stderr).toMatch(/never recreates|move it aside/i);
    expect(digest()).toBe(before);
    const status = runCli({ args: ['status', '--data-dir', dataDir] });
    expect(status.code).toBe(2);
    expect(digest()).toBe(before);
  });

  it('explains a missing or broken model script and an unknown backend', () => {
    const { root, repoDir, dataDir } = setup();
    const broken = join(root, 'broken.json');
    writeFileSync(broken, '{"tasks": {"T1": {"plan": "not a list"}}}');
    const invalid = runCli({ args: ['run', repoDir, '--models', `scripted:${broken}`, '--data-dir', dataDir] });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/T1/);
    const unknown = runCli({ args: ['run', repoDir, '--models', 'cloud:gpt', '--data-dir', dataDir] });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/scripted:FILE/);
    const none = runCli({ args: ['run', repoDir, '--data-dir', dataDir] });
    expect(none.code).toBe(2);
    expect(git(repoDir, 'branch', '--list', 'nightshift/*')).toBe('');
  });
});
