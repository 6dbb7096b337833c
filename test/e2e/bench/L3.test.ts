import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
import { expectBenchOracle } from '../../utils/expectBenchOracle.js';
import { pickBenchSandbox } from '../../utils/pickBenchSandbox.js';

const LEVEL_DIR = resolve('resources/bench/L3');
/** Hidden tests per task (pytest's count, parametrized cases included): T1 6, T2 6, T3 6, T4 9. */
const HIDDEN_TOTAL = 27;
/** A real session with sandboxed test runs on a shared 2-core machine: the oracle took 1.5 to 3.5 minutes under load. */
const SESSION_TIMEOUT_MS = 900_000;

const level = await loadBenchLevel({ dir: LEVEL_DIR });
// Plain Python and pytest: the Docker sandbox when a daemon answers, else bubblewrap.
const { sandbox, note } = await pickBenchSandbox();
const runner = createBenchLevelRunner({ level, sandbox: sandbox ?? 'docker' });
const runLevel = runner.run;

afterAll(() => runner.dispose());

const name = `bench L3 priority queue${note}`;

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
      // What refused each attempt: T1's test asserts nothing (bite); T2's peek fails the suite (and edits
      // pqueue/task.py out of scope); T3's placeholder push fails its own test (suite, after stubs); T4's test passes
      // without the change (bite).
      expect(result.tasks.map((task) => [task.taskId, task.status, task.attemptRefusedBy])).toEqual([
        ['T1', 'done', ['bite', null]],
        ['T2', 'done', ['suite', null]],
        ['T3', 'done', ['suite', null]],
        ['T4', 'done', ['bite', null]],
      ]);
      expect(result.tasks[1]?.railsFired.scope, "T2's edit of pqueue/task.py should fire the scope rail").toBeGreaterThan(0);
      expect(result.tasks[2]?.railsFired.stubs, "T3's placeholder should fire the stubs rail").toBeGreaterThan(0);
      for (const task of result.tasks) expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
      expect(result.hiddenPassed).toBe(HIDDEN_TOTAL);
      expect(result.falseGo).toBe(0);
      expect(await runner.differencesFromOracle(result), "files delivered other than the oracle's answers made them").toEqual([]);
    },
    SESSION_TIMEOUT_MS,
  );

  it(
    'with the rails off three bad answers are delivered, two of them false GOs; the placeholder still fails the suite',
    async () => {
      const result = await runLevel({ answers: 'bad', rails: 'off' });
      expect(result.environmentError).toBeNull();
      // T1 asserts nothing over a queue that serves the last item pushed, and T2 builds peek on it (editing
      // pqueue/task.py out of scope): both delivered, and T1's hidden tests catch the order. T3's placeholder push
      // fails its own test. T4's test passes without the change, over a queue that ignores priorities.
      expect(result.tasks.map((task) => [task.taskId, task.delivered, task.falseGo])).toEqual([
        ['T1', true, true],
        ['T2', true, false],
        ['T3', false, false],
        ['T4', true, true],
      ]);
      expect(result.committed).toBe(3);
      expect(result.falseGo).toBe(2);
      expect(result.tasks[2]?.refusedBy).toBe('suite');
      expect(result.hiddenPassed).toBeLessThan(HIDDEN_TOTAL);
    },
    SESSION_TIMEOUT_MS,
  );
});
