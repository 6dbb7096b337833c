import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGitRepo, writeFiles } from '../../../utils/createGitRepo.js';
import { bubblewrapWorks } from '../../../utils/bubblewrapWorks.js';
import { pythonProjectFiles } from '../../../utils/createPythonProject.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { runCli } from '../../../utils/runCli.js';

function pythonRepo(): string {
  const dir = createGitRepo({ dir: makeTempDir(), commits: [{ files: pythonProjectFiles }] });
  writeFiles(dir, { 'node_modules/dep/index.txt': 'linked dependency\n' });
  return dir;
}

describe('nightshift sandbox', () => {
  it('doctor --json lists every sandbox kind with whether it works here and why', () => {
    const result = runCli({ args: ['sandbox', 'doctor', '--json'] });
    const diagnoses = JSON.parse(result.stdout) as Array<{ kind: string; available: boolean; reason: string }>;
    expect(diagnoses.map((entry) => entry.kind)).toEqual(['docker', 'bubblewrap', 'sandbox-exec', 'local']);
    for (const entry of diagnoses) expect(entry.reason.length).toBeGreaterThan(10);
    expect(diagnoses.find((entry) => entry.kind === 'bubblewrap')?.available).toBe(bubblewrapWorks());
    const isolated = diagnoses.some((entry) => entry.available && entry.kind !== 'local');
    expect(result.code).toBe(isolated ? 0 : 1);
    const text = runCli({ args: ['sandbox', 'doctor'] });
    expect(text.stdout).toMatch(/^[✓✗] docker {8}/m);
    expect(text.stdout).toMatch(/^✓ local {9}runs commands directly/m);
  });

  it.skipIf(!bubblewrapWorks())('run executes in a sandboxed copy of the project without .git, leaving the project untouched', () => {
    const project = pythonRepo();
    const before = readdirSync(project).sort();
    const result = runCli({
      args: ['sandbox', 'run', '--project', project, '--kind', 'native', '--', 'python3 -m pytest -q -p no:cacheprovider; test -e .git && echo has-git || echo no-git; cat node_modules/dep/index.txt; echo x > node_modules/dep/new; echo y > created.txt'],
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sandbox: {3}bubblewrap$/m);
    expect(result.stdout).toMatch(/^outcome: {3}exited, exit code 0, \d+ ms$/m);
    expect(result.stdout).toMatch(/^limit hit: none$/m);
    expect(result.stdout).toContain('2 passed');
    expect(result.stdout).toContain('no-git');
    expect(result.stdout).toContain('linked dependency');
    expect(result.stdout).toMatch(/Read-only file system/);
    // Named explicitly, nothing is passed over (auto's passed-over reasons are covered by chooseSandbox's tests).
    expect(result.stderr).not.toMatch(/not using/);
    expect(readdirSync(project).sort()).toEqual(before);
    expect(existsSync(join(project, 'node_modules/dep/new'))).toBe(false);
  });

  it.skipIf(!bubblewrapWorks())('run --json reports the result and limit hit, and quotes several words as one command', () => {
    const project = pythonRepo();
    const result = runCli({ args: ['sandbox', 'run', '--project', project, '--kind', 'native', '--json', '--', 'sh', '-c', 'echo "two words"; exit 3'] });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ sandbox: 'bubblewrap', isolated: true, outcome: 'exited', exitCode: 3, stdout: 'two words\n', limitHit: null, passedOver: [] });
  });

  it('refuses the local runner unless the project or the command line opts in', () => {
    const project = pythonRepo();
    const refused = runCli({ args: ['sandbox', 'run', '--project', project, '--kind', 'local', '--', 'echo hi'] });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/unsandboxed/);
    const flag = runCli({ args: ['sandbox', 'run', '--project', project, '--kind', 'local', '--allow-unsandboxed', '--', 'echo hi'] });
    expect(flag.code).toBe(0);
    expect(flag.stdout).toMatch(/^sandbox: {3}local \(UNSANDBOXED\)$/m);
    writeFileSync(join(project, 'nightshift.json'), JSON.stringify({ sandbox: 'local', allowUnsandboxed: true }));
    const config = runCli({ args: ['sandbox', 'run', '--project', project, '--', 'echo hi'] });
    expect(config.code).toBe(0);
    expect(config.stdout).toMatch(/^sandbox: {3}local \(UNSANDBOXED\)$/m);
  });

  it('rejects an unknown kind and a missing project', () => {
    const project = pythonRepo();
    expect(runCli({ args: ['sandbox', 'run', '--project', project, '--kind', 'chroot', '--', 'true'] })).toMatchObject({ code: 2 });
    const missing = runCli({ args: ['sandbox', 'run', '--project', join(project, 'nope'), '--', 'true'] });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});
