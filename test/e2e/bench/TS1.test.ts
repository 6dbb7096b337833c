import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
import { expectBenchOracle } from '../../utils/expectBenchOracle.js';
import { pickBenchSandbox } from '../../utils/pickBenchSandbox.js';

const LEVEL_DIR = resolve('resources/bench/TS1');
/** Hidden tests per task (vitest's count, `it.each` cases included): T1 21, T2 6, T3 10, T4 6, T5 4. */
const HIDDEN_TOTAL = 47;
/** A real session with Docker execs on a shared 2-core machine: about 6.5 minutes for the oracle here. */
const SESSION_TIMEOUT_MS = 1_200_000;

// The sandbox image's Node (20.19) runs vitest 4; Docker when a daemon answers, bubblewrap otherwise.
const level = await loadBenchLevel({ dir: LEVEL_DIR });
const { sandbox, note } = await pickBenchSandbox();
const runner = createBenchLevelRunner({ level, sandbox: sandbox ?? 'docker' });
const runLevel = runner.run;

afterAll(() => runner.dispose());

describe.skipIf(sandbox === null)(
  `bench TS1 TypeScript inventory library${note}`,
  () => {
    it(
      'the oracle commits every task on its first attempt and passes every hidden test',
      async () => {
        await expectBenchOracle({ runner, committed: 5, hiddenTotal: HIDDEN_TOTAL });
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      "with the rails on every bad answer is refused and the oracle's retry is delivered",
      async () => {
        const result = await runLevel({ answers: 'bad-then-oracle', rails: 'on' });
        expect(result.environmentError).toBeNull();
        // What refused each attempt: T1's test asserts nothing and T5's checks only what already exists (bite); T2's
        // special case of the test's SKU gets a NO_GO review; T3's README.md edit is out of scope; T4's stubs fail
        // its own tests (suite, after stubs).
        expect(result.tasks.map((task) => [task.taskId, task.status, task.attemptRefusedBy])).toEqual([
          ['T1', 'done', ['bite', null]],
          ['T2', 'done', ['review', null]],
          ['T3', 'done', ['scope', null]],
          ['T4', 'done', ['suite', null]],
          ['T5', 'done', ['bite', null]],
        ]);
        expect(result.tasks[3]?.railsFired.stubs, "T4's stubs should fire the stubs rail").toBeGreaterThan(0);
        for (const task of result.tasks) expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
        expect(result.hiddenPassed).toBe(HIDDEN_TOTAL);
        expect(result.falseGo).toBe(0);
        expect(await runner.differencesFromOracle(result), "files delivered other than the oracle's answers made them").toEqual([]);
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      'with the rails off four bad answers are delivered, three of them false GOs that the hidden tests catch',
      async () => {
        const result = await runLevel({ answers: 'bad', rails: 'off' });
        expect(result.environmentError).toBeNull();
        // T1 asserts nothing over a validator that never checks price or quantity, T2 refuses duplicates of the
        // test's SKU only, T3 is right but edits README.md out of scope (its hidden tests pass), T4's stubs fail
        // its own tests, T5's test checks formatCents, which already exists, beside CSV without quoting.
        expect(result.tasks.map((task) => [task.taskId, task.delivered, task.falseGo])).toEqual([
          ['T1', true, true],
          ['T2', true, true],
          ['T3', true, false],
          ['T4', false, false],
          ['T5', true, true],
        ]);
        expect(result.committed).toBe(4);
        expect(result.falseGo).toBe(3);
        const t3 = result.tasks.find((task) => task.taskId === 'T3');
        expect(t3?.hidden?.failed, `T3's hidden tests:\n${t3?.hidden?.output}`).toBe(0);
        expect(result.hiddenPassed).toBeLessThan(HIDDEN_TOTAL);
      },
      SESSION_TIMEOUT_MS,
    );
  },
);
