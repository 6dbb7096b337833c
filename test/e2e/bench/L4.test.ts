import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { bubblewrapWorks } from '../../utils/bubblewrapWorks.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
import { findTestDocker } from '../../utils/findTestDocker.js';

const LEVEL_DIR = resolve('resources/bench/L4');
/** Hidden tests per task (pytest's count, parametrized cases included): T1 7, T2 6, T3 7, T4 6, T5 13, T6 11. */
const HIDDEN_TOTAL = 50;
/** A real session with sandboxed test runs on a shared 2-core machine: the oracle took 1.5 to 3.5 minutes under load. */
const SESSION_TIMEOUT_MS = 900_000;

const level = await loadBenchLevel({ dir: LEVEL_DIR });
// Plain Python and pytest: the Docker sandbox when a daemon answers, else bubblewrap.
const docker = await findTestDocker();
const sandbox = docker.docker ? 'docker' : bubblewrapWorks() ? 'native' : null;
const runner = createBenchLevelRunner({ level, sandbox: sandbox ?? 'docker' });
const runLevel = runner.run;

afterAll(() => runner.dispose());

const name = `bench L4 task tracker CLI${sandbox ? ` (${sandbox} sandbox)` : ' [SKIPPED: neither Docker nor bubblewrap works here]'}${process.env.NIGHTSHIFT_BENCH_ALL ? '' : ' (not run: NIGHTSHIFT_BENCH_ALL=1 runs it)'}`;

// The levels' sessions would take CI past its 40 minutes; the default run proves the runner on a generated
// two-task level (test/integration/bench/runBenchLevel.test.ts, test/e2e/cli/benchCommand.test.ts).
describe.skipIf(sandbox === null || !process.env.NIGHTSHIFT_BENCH_ALL)(name, () => {
  it(
    'the oracle commits every task on its first attempt and passes every hidden test',
    async () => {
      const result = await runLevel({ answers: 'oracle', rails: 'on' });
      expect(result.environmentError).toBeNull();
      for (const task of result.tasks) {
        expect(task.firstAttempt, `${task.taskId} was not committed on attempt 1: refused by ${task.refusedBy} after ${task.attempts} attempt(s)`).toBe(true);
        expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
      }
      expect(result.committed).toBe(6);
      expect(result.hiddenTotal).toBe(HIDDEN_TOTAL);
      expect(result.hiddenPassed).toBe(HIDDEN_TOTAL);
      expect(result.falseGo).toBe(0);
    },
    SESSION_TIMEOUT_MS,
  );

  it(
    'with the rails on no bad answer is delivered: scope refuses the unplanned edit, bite the test that asserts nothing',
    async () => {
      const result = await runLevel({ answers: 'bad', rails: 'on' });
      expect(result.environmentError).toBeNull();
      expect(result.committed).toBe(0);
      expect(result.falseGo).toBe(0);
      expect(result.tasks.map((task) => [task.taskId, task.status, task.refusedBy])).toEqual([
        ['T1', 'deadlocked', 'scope'],
        ['T2', 'skipped', 'skipped'],
        ['T3', 'skipped', 'skipped'],
        ['T4', 'skipped', 'skipped'],
        ['T5', 'deadlocked', 'bite'],
        ['T6', 'skipped', 'skipped'],
      ]);
    },
    SESSION_TIMEOUT_MS,
  );

  it(
    'with the rails off two bad answers are delivered and the store without StoreError is a false GO',
    async () => {
      const result = await runLevel({ answers: 'bad', rails: 'off' });
      expect(result.environmentError).toBeNull();
      // T1's list command is right but also rewrites tracker/store.py out of scope: delivered, hidden tests pass.
      // T2's placeholder complete fails its own test, so T3, T4 and T6 wait on it. T5 asserts nothing over a
      // load_tasks that still lets json errors through and a save that is not atomic.
      expect(result.tasks.map((task) => [task.taskId, task.delivered, task.falseGo])).toEqual([
        ['T1', true, false],
        ['T2', false, false],
        ['T3', false, false],
        ['T4', false, false],
        ['T5', true, true],
        ['T6', false, false],
      ]);
      expect(result.committed).toBe(2);
      expect(result.falseGo).toBe(1);
      expect(result.tasks[1]?.refusedBy).toBe('suite');
      expect(result.hiddenPassed).toBeLessThan(HIDDEN_TOTAL);
    },
    SESSION_TIMEOUT_MS,
  );
});
