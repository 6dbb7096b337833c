import { describe, expect, it } from 'vitest';
import type { CommandRecord, TaskExplanation } from '../../../src/engine/ports/Store.js';
import { formatExplanation } from '../../../src/engine/loop/formatExplanation.js';
import { sampleModels, sampleSpec } from '../../utils/seedStore.js';

const command = (overrides: Partial<CommandRecord>): CommandRecord => ({
  sessionId: 's1',
  taskRunId: 7,
  attemptId: 1,
  phase: 'gates',
  label: null,
  command: 'python3 -m pytest -q',
  sandbox: 'docker',
  outcome: 'exited',
  exitCode: 0,
  durationMs: 0,
  startedAt: 0,
  ...overrides,
});

function explanation(attempt: Partial<TaskExplanation['attempts'][number]>): TaskExplanation {
  return {
    taskRun: { id: 7, sessionId: 's1', ordinal: 0, spec: sampleSpec('T1'), status: 'done', reason: '', attempts: 1, commit: null, startedAt: 0, endedAt: 20_000 },
    session: {
      id: 's1',
      projectId: 1,
      status: 'completed',
      reason: '',
      mode: 'branch',
      branch: 'nightshift/s1',
      baseCommit: 'a'.repeat(40),
      headCommit: null,
      sandbox: 'docker',
      sandboxIsolated: true,
      models: sampleModels,
      startedAt: 0,
      endedAt: 20_000,
    },
    attempts: [
      {
        id: 1,
        taskRunId: 7,
        number: 1,
        decision: 'COMMIT',
        failureType: null,
        fingerprint: null,
        feedback: '',
        startedAt: 1_000,
        endedAt: 10_000,
        diff: '',
        phases: [],
        rails: [],
        modelCalls: [],
        commands: [],
        ...attempt,
      },
    ],
    failures: [],
    audit: null,
  };
}

describe('formatExplanation', () => {
  it('shows rail durations, one line per command, and the attempt\'s time split into model, commands and harness', () => {
    const text = formatExplanation(
      explanation({
        // Delivery ends after the decision: the wall runs to 11 s, 10 s after the start.
        phases: [{ attemptId: 1, phase: 'deliver', ok: true, detail: 'nightshift/s1 -> abc', startedAt: 10_000, endedAt: 11_000 }],
        rails: [
          { name: 'syntax', passed: true, detail: '2 file(s) parse', durationMs: 140 },
          { name: 'suite', passed: true, detail: 'passed', durationMs: 2_350 },
          { name: 'bite', passed: false, skipped: true, detail: 'skipped' },
        ],
        modelCalls: [
          { attemptId: 1, taskRunId: 7, role: 'coder', promptId: 'coder-green@1', model: 'm', backend: 'b', promptTokens: 1, outputTokens: 2, durationMs: 6_000, timeToFirstTokenMs: null, error: null, at: 2_000 },
        ],
        commands: [
          command({ phase: 'red', label: 'red', exitCode: 1, durationMs: 850 }),
          command({ label: 'bite:without-code', durationMs: 1_200, exitCode: 1 }),
          command({ label: 'suite', durationMs: 1_460, outcome: 'timeout', exitCode: null }),
          command({ command: `python3 -c '${'x'.repeat(100)}'\n  --flag`, durationMs: 0 }),
        ],
      }),
    );
    const lines = text.split('\n');
    expect(lines).toContain('  time: 10.0 s wall = model 6.0 s + commands 3.5 s + harness 490 ms (4.9% of wall)');
    expect(lines).toContain('    ✓ syntax          (140 ms) 2 file(s) parse');
    expect(lines).toContain('    ✓ suite           (2.4 s) passed');
    // A rail recorded without a duration shows none.
    expect(lines).toContain('    - bite            skipped');
    const commands = lines.slice(lines.indexOf('  commands:') + 1, lines.indexOf('  commands:') + 5);
    expect(commands).toEqual([
      '      850 ms  exit 1    red',
      '       1.2 s  exit 1    bite:without-code',
      '       1.5 s  timeout   suite',
      `        0 ms  exit 0    python3 -c '${'x'.repeat(47)}…`,
    ]);
  });

  it('leaves out the split while an attempt is unfinished, and the command list when there was none', () => {
    const text = formatExplanation(explanation({ decision: null, endedAt: null }));
    expect(text).toContain('Attempt 1: unfinished');
    expect(text).not.toContain('time:');
    expect(text).not.toContain('commands:');
  });
});
