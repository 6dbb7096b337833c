import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskExplanation } from '../../../src/engine/ports/Store.js';
import { engineEventSchema, type EngineEvent } from '../../../src/shared/engineEventSchema.js';
import { createPythonFixture } from '../../fixtures/createPythonFixture.js';
import { bubblewrapWorks } from '../../utils/bubblewrapWorks.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

describe('durations through the CLI', () => {
  it('records every sandboxed command with its attempt, emits it, and explain splits the attempt\'s time', () => {
    const root = makeTempDir();
    const { repoDir, scriptPath } = createPythonFixture({ parent: root });
    const dataDir = join(root, 'data');
    // The real sandbox where bubblewrap works; elsewhere the local runner, which records the same way.
    const sandbox = bubblewrapWorks() ? ['--sandbox', 'native'] : ['--sandbox', 'local', '--allow-unsandboxed'];
    const run = runCli({ args: ['run', repoDir, '--models', `scripted:${scriptPath}`, '--data-dir', dataDir, '--json', '--max-tasks', '1', ...sandbox] });
    expect(run.stderr).toBe('');
    const events: EngineEvent[] = run.stdout.trim().split('\n').map((line) => engineEventSchema.parse(JSON.parse(line)));
    const started = events.find((event) => event.type === 'task/started');
    const taskRunId = started?.type === 'task/started' ? started.taskRunId : -1;
    expect(events.find((event) => event.type === 'task/finished')).toMatchObject({ taskRunId, status: 'done' });
    const all = events.flatMap((event) => (event.type === 'command/finished' ? [event] : []));
    // The preflight runs for the session before the first task: the sandbox, the runner and the suite's baseline
    // at the starting commit, once; the task reuses that baseline.
    const preflight = all.filter((event) => event.taskRunId === undefined);
    expect(preflight.map((event) => event.label)).toEqual(['preflight:sandbox', 'preflight:runner', 'baseline']);
    expect(preflight.at(-1)).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(all.slice(0, preflight.length)).toEqual(preflight);
    const commands = all.slice(preflight.length);
    expect(commands[0]).toMatchObject({ taskRunId, attempt: 1, label: 'red', outcome: 'exited', exitCode: expect.any(Number), command: expect.stringContaining('tests/test_divide.py') });
    // RED, then at least the suite in the gates.
    expect(commands.length).toBeGreaterThanOrEqual(2);
    expect(commands.every((event) => event.taskRunId === taskRunId && event.attempt === 1)).toBe(true);

    const json = runCli({ args: ['explain', String(taskRunId), '--json', '--data-dir', dataDir] });
    expect(json.code).toBe(0);
    const explanation = JSON.parse(json.stdout) as TaskExplanation;
    const attempt = explanation.attempts[0]!;
    expect(attempt.commands.map((command) => [command.label, command.durationMs])).toEqual(commands.map((event) => [event.label ?? null, event.durationMs]));
    expect(attempt.commands[0]).toMatchObject({ attemptId: attempt.id, taskRunId, phase: 'red', sandbox: sandbox[1] === 'native' ? 'bubblewrap' : 'local' });
    expect(attempt.commands.slice(1).every((command) => command.phase === 'gates')).toBe(true);
    // Commands run one after another inside the attempt, so together they fit in its wall time.
    const wall = Math.max(attempt.endedAt!, ...attempt.phases.map((phase) => phase.endedAt)) - attempt.startedAt;
    expect(attempt.commands.reduce((sum, command) => sum + command.durationMs, 0)).toBeLessThanOrEqual(wall);

    const text = runCli({ args: ['explain', String(taskRunId), '--data-dir', dataDir] });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}time: [\d.]+ m?s wall = model [\d.]+ m?s \+ commands [\d.]+ m?s \+ harness -?[\d.]+ m?s \([\d.]+% of wall\)$/m);
    expect(text.stdout).toContain('  commands:');
    expect(text.stdout).toMatch(/^ +[\d.]+ m?s {2}exit [1-9]\d* +red$/m);
  }, 300_000);
});
