import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineEventSchema, type EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createTypeScriptFixture } from '../../fixtures/createTypeScriptFixture.js';
import { git } from '../../utils/createGitRepo.js';
import { dirtyUserRepo } from '../../utils/dirtyUserRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';
import { snapshotUserRepo } from '../../utils/snapshotUserRepo.js';

describe('a TypeScript/vitest session through the CLI', () => {
  it('runs the backlog, then status, explain and audit export tell what happened', () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createTypeScriptFixture({ parent: root });
    dirtyUserRepo({ dir: repoDir, modifiedFile: 'src/capitalize.ts', stagedFile: 'package.json' });
    const before = snapshotUserRepo(repoDir);
    const baseOid = git(repoDir, 'rev-parse', 'HEAD');
    const dataDir = join(root, 'data');

    // Bubblewrap shows the host's Node read-only; Debian's Node in the Docker image is too old for vitest 4.
    const run = runCli({ args: ['run', repoDir, '--models', `scripted:${scriptPath}`, '--data-dir', dataDir, '--json', '--sandbox', 'native'], timeoutMs: 600_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const events: EngineEvent[] = run.stdout.trim().split('\n').map((line) => engineEventSchema.parse(JSON.parse(line)));
    const finished = Object.fromEntries(
      events.flatMap((event) => (event.type === 'task/finished' ? [[event.taskId, event.status]] : [])),
    );
    expect(finished).toEqual({ T1: 'done', T2: 'done', T3: 'deadlocked' });
    const decisions = (taskId: string) => {
      const runId = events.find((event) => event.type === 'task/started' && event.taskId === taskId);
      return events.flatMap((event) =>
        event.type === 'attempt/decided' && runId?.type === 'task/started' && event.taskRunId === runId.taskRunId
          ? [`${event.decision}${event.failureType ? `:${event.failureType}` : ''}`]
          : [],
      );
    };
    expect(decisions('T2')).toEqual(['RETRY:patch', 'RETRY:scope', 'COMMIT']);
    expect(decisions('T3')).toEqual(['RETRY:patch', 'RETRY:patch', 'DEADLOCK:patch']);
    const railFailures = events.flatMap((event) => (event.type === 'rail/result' && !event.rail.passed && !event.rail.skipped ? [event.rail.name] : []));
    expect(railFailures).toContain('test-integrity');
    expect(railFailures).toContain('stubs');

    const session = events.find((event) => event.type === 'session/started');
    const branch = session?.type === 'session/started' ? session.branch : '';
    expect(git(repoDir, 'log', '--format=%s', `${baseOid}..${branch}`).split('\n')).toEqual([
      'nightshift: T2 Truncate',
      'nightshift: T1 Slugify',
    ]);
    const clone = join(root, 'clone');
    git(root, 'clone', '-q', '--branch', branch, repoDir, clone);
    execFileSync('ln', ['-s', join(repoDir, 'node_modules'), join(clone, 'node_modules')]);
    const vitest = execFileSync('npx', ['vitest', 'run'], { cwd: clone, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' } });
    expect(vitest).toMatch(/Tests\s+5 passed/);
    expect(snapshotUserRepo(repoDir)).toEqual(before);

    const status = runCli({ args: ['status', '--data-dir', dataDir, '--project', repoDir] });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/T3\s+deadlocked/);
    const runId = /\[\s*(\d+)\] T2/.exec(status.stdout)?.[1];
    const explain = runCli({ args: ['explain', runId ?? '0', '--data-dir', dataDir] });
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('Attempt 2: RETRY (scope');
    expect(explain.stdout).toMatch(/✗ test-integrity/);
    expect(explain.stdout).toContain('Attempt 3: COMMIT');

    const audit = runCli({ args: ['audit', 'export', '--data-dir', dataDir] });
    const records = audit.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => [record.taskId, record.status])).toEqual([
      ['T1', 'done'],
      ['T2', 'done'],
      ['T3', 'deadlocked'],
    ]);
    expect(records[0]).toMatchObject({ reviewVerdict: 'GO', askVerified: true, sandbox: { kind: 'bubblewrap', isolated: true } });
  }, 900_000);
});
