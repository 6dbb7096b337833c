import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { coderOutputSchema } from '../../../src/shared/coderOutputSchema.js';
import { planSchema } from '../../../src/shared/planSchema.js';
import { reviewVerdictSchema } from '../../../src/shared/reviewVerdictSchema.js';
import { scriptedScriptSchema } from '../../../src/runtime/scripted/scriptedScriptSchema.js';
import { git } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { CLI_BIN } from '../../utils/runCli.js';

const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** The text of the `## title` section, up to the next `## ` heading. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  expect(start, `README has no "## ${title}" section`).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

/** The contents of the fenced blocks of one language in `text`, in order. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((match) => match[1]!);
}

/**
 * A folder to work in, with `nightshift` on PATH as a user's install gives it (a wrapper around this
 * checkout's bin) and its own NIGHTSHIFT_HOME, so the user's data is never touched.
 */
function userShell(): { cwd: string; run: (line: string) => { code: number | null; stdout: string; stderr: string } } {
  const root = makeTempDir();
  const bin = join(root, 'bin');
  const cwd = join(root, 'work');
  mkdirSync(bin);
  mkdirSync(cwd);
  writeFileSync(join(bin, 'nightshift'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`);
  chmodSync(join(bin, 'nightshift'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, NIGHTSHIFT_HOME: join(root, 'home') };
  return {
    cwd,
    run: (line) => {
      const result = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 540_000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}

describe('README quick start', () => {
  it('runs as written, line by line, and ends with the delivered commits', () => {
    const shell = userShell();
    const lines = blocks(section('Quick start'), 'sh')
      .flatMap((block) => block.split('\n'))
      .filter((line) => line.trim() !== '');
    expect(lines[0]).toBe('nightshift demo');
    const outputs = new Map<string, string>();
    for (const line of lines) {
      // A line says when it does not exit 0: `command    # exit code 1: why`.
      const expected = Number(/#\s*exit code (\d+)/.exec(line)?.[1] ?? 0);
      const result = shell.run(line);
      expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).toBe(expected);
      expect(result.stderr, line).not.toMatch(/^\s+at /m);
      outputs.set(line, result.stdout);
    }

    expect(outputs.get('nightshift explain T3 --project nightshift-demo')).toMatch(/asserts nothing: it passes whatever the code does/);
    expect(outputs.get('git -C nightshift-demo status --short')).toBe('');
    expect(outputs.get("git -C nightshift-demo log --oneline --branches='nightshift/*'")).toMatch(/nightshift: T2 Truncate\n.*nightshift: T1 Slugify/);
    for (const project of ['nightshift-demo', 'my-night']) {
      const dir = join(shell.cwd, project);
      const branch = git(dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/nightshift/');
      expect(git(dir, 'log', '--format=%s', `main..${branch}`).split('\n')).toEqual(['nightshift: T2 Truncate', 'nightshift: T1 Slugify']);
    }
  }, 900_000);

  it('documents a scripted-answers file that loads, matches the model schemas and runs as described', () => {
    const [example] = blocks(section('Scripted answers'), 'json');
    const script = scriptedScriptSchema.parse(JSON.parse(example!));
    const task = script.tasks.T1!;
    for (const answer of task.plan!) planSchema.parse(answer);
    for (const answer of [...task.red!, ...task.green!]) coderOutputSchema.parse(answer);
    for (const answer of task.review!) reviewVerdictSchema.parse(answer);

    // Its T1 is the demo's T1: the placeholder is refused, then the real code delivered.
    const shell = userShell();
    writeFileSync(join(shell.cwd, 'example.json'), example!);
    expect(shell.run('nightshift demo --dir example --no-run').code).toBe(0);
    shell.run('nightshift run example --models scripted:example.json --max-tasks 1');
    const [entry] = JSON.parse(shell.run('nightshift status --project example --json').stdout) as Array<{ tasks: Array<{ spec: { id: string }; status: string; attempts: number }> }>;
    expect(entry!.tasks[0]).toMatchObject({ spec: { id: 'T1' }, status: 'done', attempts: 2 });
  }, 600_000);
});
