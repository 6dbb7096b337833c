import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
import { expectBenchOracle } from '../../utils/expectBenchOracle.js';
import { pickBenchSandbox } from '../../utils/pickBenchSandbox.js';

const LEVEL_DIR = resolve('resources/bench/L4');
/** Hidden tests per task (pytest's count, parametrized cases included): T1 7, T2 6, T3 7, T4 6, T5 13, T6 11. */
const HIDDEN_TOTAL = 50;
/** A real session with sandboxed test runs on a shared 2-core machine: the oracle took 1.5 to 3.5 minutes under load. */
const SESSION_TIMEOUT_MS = 900_000;

const level = await loadBenchLevel({ dir: LEVEL_DIR });
// Plain Python and pytest: the Docker sandbox when a daemon answers, else bubblewrap.
const { sandbox, note } = await pickBenchSandbox();
const runner = createBenchLevelRunner({ level, sandbox: sandbox ?? 'docker' });
const runLevel = runner.run;

afterAll(() => runner.dispose());

const name = `bench L4 task tracker CLI${note}`;

describe.skipIf(sandbox === null)(name, () => {
  it(
    'the oracle commits every task on its first attempt and passes every hidden test',
    async () => {
      await expectBenchOracle({ runner, committed: 6, hiddenTotal: HIDDEN_TOTAL });
    },
    SESSION_TIMEOUT_MS,
  );

  it(
    "with the rails on every bad answer is refused and the oracle's retry is delivered",
    async () => {
      const result = await runLevel({ answers: 'bad-then-oracle', rails: 'on' });
      expect(result.environmentError).toBeNull();
      // What refused each attempt: T1's unplanned edit (scope), T2's placeholder (suite, after stubs), T3's and T5's
      // tests that pass without the change or assert nothing (bite), T4's NO_GO review of its special case (review),
      // and T6's test that only checks that the CLI has StoreError and main (bite), over code that reports a broken
      // file from list, complete and delete but lets add crash.
      expect(result.tasks.map((task) => [task.taskId, task.status, task.attemptRefusedBy])).toEqual([
        ['T1', 'done', ['scope', null]],
        ['T2', 'done', ['suite', null]],
        ['T3', 'done', ['bite', null]],
        ['T4', 'done', ['review', null]],
        ['T5', 'done', ['bite', null]],
        ['T6', 'done', ['bite', null]],
      ]);
      expect(result.tasks[1]?.railsFired.stubs, "T2's placeholder should fire the stubs rail").toBeGreaterThan(0);
      expect(result.tasks[5]?.railsFired.bite, "T6's name-only test should fire the bite rail").toBe(1);
      for (const task of result.tasks) expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
      expect(result.hiddenPassed).toBe(HIDDEN_TOTAL);
      expect(result.falseGo).toBe(0);
      expect(await runner.differencesFromOracle(result), "files delivered other than the oracle's answers made them").toEqual([]);
    },
    SESSION_TIMEOUT_MS,
  );

  it(
    'with the rails off two bad answers are delivered and the store without StoreError is a false GO',
    async () => {
      const result = await runLevel({ answers: 'bad', rails: 'off' });
      expect(result.environmentError).toBeNull();
      // T1's list command is right but also rewrites tracker/store.py out of scope: delivered, hidden tests pass.
      // T2's placeholder complete fails its own test, so T3, T4 and T6 wait on it (T6's bad answer would pass the
      // suite and fail its hidden tests). T5 asserts nothing over a load_tasks that still lets json errors through
      // and a save that is not atomic.
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
