import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
import { expectBenchOracle } from '../../utils/expectBenchOracle.js';
import { pickBenchSandbox } from '../../utils/pickBenchSandbox.js';

const LEVEL_DIR = resolve('resources/bench/L2');
/** Hidden tests per task (pytest's count, parametrized cases included): T1 8, T2 7, T3 48, T4 7. */
const HIDDEN_TOTAL = 70;
/** A real session with sandboxed test runs on a shared 2-core machine: the oracle took 1.5 to 3.5 minutes under load. */
const SESSION_TIMEOUT_MS = 900_000;

const level = await loadBenchLevel({ dir: LEVEL_DIR });
// Plain Python and pytest: the Docker sandbox when a daemon answers, else bubblewrap.
const { sandbox, note } = await pickBenchSandbox();
const runner = createBenchLevelRunner({ level, sandbox: sandbox ?? 'docker' });
const runLevel = runner.run;

afterAll(() => runner.dispose());

const name = `bench L2 calculator${note}`;

describe.skipIf(sandbox === null)(name, () => {
  it(
    'the oracle commits every task on its first attempt and passes every hidden test',
    async () => {
      await expectBenchOracle({ runner, committed: 4, hiddenTotal: HIDDEN_TOTAL });
    },
    SESSION_TIMEOUT_MS,
  );

  it(
    "with the rails on every bad answer is refused and the oracle's retry is delivered",
    async () => {
      const result = await runLevel({ answers: 'bad-then-oracle', rails: 'on' });
      expect(result.environmentError).toBeNull();
      // What refused each attempt: T1's placeholder divide fails its own new tests (suite, after stubs), and T2's
      // special-cased power and sqrt rewrite core.py without T1's multiply and divide, whose tests then fail.
      // T3's test passes without the change (strings and None already raise TypeError in Python, and it never
      // tries a boolean), so RED refuses it before any code (bite); its code lets booleans through. T4's test
      // calls history() and clear_history() but asserts nothing (bite); its history() hands out the list itself.
      expect(result.tasks.map((task) => [task.taskId, task.status, task.attemptRefusedBy])).toEqual([
        ['T1', 'done', ['suite', null]],
        ['T2', 'done', ['suite', null]],
        ['T3', 'done', ['bite', null]],
        ['T4', 'done', ['bite', null]],
      ]);
      expect(result.tasks[0]?.railsFired.stubs, 'the placeholder divide should fire the stubs rail').toBeGreaterThan(0);
      expect(result.tasks[2]?.railsFired, "T3's test is refused in RED, before any rail runs").toEqual({});
      expect(result.tasks[3]?.railsFired.bite, "T4's assertion-free test should fire the bite rail").toBe(1);
      for (const task of result.tasks) expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
      expect(result.hiddenPassed).toBe(HIDDEN_TOTAL);
      expect(result.falseGo).toBe(0);
      expect(await runner.differencesFromOracle(result), "files delivered other than the oracle's answers made them").toEqual([]);
    },
    SESSION_TIMEOUT_MS,
  );

  it(
    'with the rails off the special-cased literals are delivered as a false GO; the stub still fails the suite',
    async () => {
      const result = await runLevel({ answers: 'bad', rails: 'off' });
      expect(result.environmentError).toBeNull();
      // T1's placeholder divide fails its own new test, so even "the suite passes" refuses it, and T3 and T4 wait
      // on T1 (their bad answers would pass the suite and fail their hidden tests). T2's power and sqrt answer only
      // the visible test's inputs: delivered, and its hidden tests fail.
      expect(result.tasks.map((task) => [task.taskId, task.delivered, task.falseGo])).toEqual([
        ['T1', false, false],
        ['T2', true, true],
        ['T3', false, false],
        ['T4', false, false],
      ]);
      expect(result.tasks[0]?.refusedBy).toBe('suite');
      expect(result.committed).toBe(1);
      expect(result.falseGo).toBe(1);
      expect(result.hiddenPassed).toBeLessThan(HIDDEN_TOTAL);
    },
    SESSION_TIMEOUT_MS,
  );
});
