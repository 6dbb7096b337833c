import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/engine/backlog/parseBacklog.js';
import { createPythonFixture, pythonScript } from '../../fixtures/createPythonFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

describe('backlogs from a PRD and from the command line', () => {
  it('imports a PRD into a TASKS.md that parses, and never overwrites an existing file', () => {
    const root = makeTempDir();
    const prd = join(root, 'PRD.md');
    writeFileSync(prd, '# Bookmarks\n\n## Requirements\n1. Add a bookmark with a URL and a title\n2. List bookmarks by tag\n   - newest first\n\n## Non-goals\n- Sync\n');
    const output = join(root, 'TASKS.md');
    const result = runCli({ args: ['import-prd', prd, '--output', output] });
    expect(result.code).toBe(0);
    const tasks = parseBacklog({ text: readFileSync(output, 'utf8') });
    expect(tasks.map((task) => task.id)).toEqual(['T1', 'T2']);
    expect(tasks[1]!.description).toContain('newest first');
    expect(runCli({ args: ['import-prd', prd, '--output', output] }).code).toBe(2);
  });

  it('runs tasks given with --task', () => {
    const root = makeTempDir();
    const { repoDir } = createPythonFixture({ parent: root });
    const script = join(root, 'cli-script.json');
    writeFileSync(script, JSON.stringify({ tasks: { 'cli-1': pythonScript.tasks.T1 } }));
    const result = runCli({
      args: ['run', repoDir, '--models', `scripted:${script}`, '--data-dir', join(root, 'data'), '--task', 'Add divide(a, b) that raises ValueError when b is 0'],
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('cli-1 done');
    expect(git(repoDir, 'log', '--format=%s', '-1', 'nightshift/' + /session ([0-9a-f-]+)/.exec(result.stdout)![1])).toContain('cli-1');
  }, 300_000);
});
