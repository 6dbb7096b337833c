import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
import { expectBenchOracle } from '../../utils/expectBenchOracle.js';
import { pickBenchSandbox } from '../../utils/pickBenchSandbox.js';

const LEVEL_DIR = resolve('resources/bench/API1');
/**
 * Hidden tests per task (pytest's count, parametrized cases included): T1 16, T2 37, T3 10, T4 6, T5 17, T6 9,
 * T7 6, T8 14, T9 8, T10 7, T11 5.
 */
const HIDDEN_TOTAL = 135;
/** Eleven tasks in a real session with Docker execs on a shared 2-core machine: about 15 minutes for the oracle. */
const SESSION_TIMEOUT_MS = 2_400_000;

const level = await loadBenchLevel({ dir: LEVEL_DIR });
// Standard library only: any sandbox runs it, Docker when a daemon answers, bubblewrap otherwise.
const { sandbox, note } = await pickBenchSandbox();
const runner = createBenchLevelRunner({ level, sandbox: sandbox ?? 'docker' });
const runLevel = runner.run;

afterAll(() => runner.dispose());

describe.skipIf(sandbox === null)(
  `bench API1 eleven-task blog API${note}`,
  () => {
    it(
      'the oracle commits every task on its first attempt and passes every hidden test',
      async () => {
        const result = await expectBenchOracle({ runner, committed: 11, hiddenTotal: HIDDEN_TOTAL });
        expect(result.firstRunPassRate).toBe(1);
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      "with the rails on every bad answer but T6's is refused and the oracle's retry delivered; T6's delivery is counted as a false GO",
      async () => {
        const result = await runLevel({ answers: 'bad-then-oracle', rails: 'on' });
        expect(result.environmentError).toBeNull();
        // What refuses each task's bad attempt 1: tests that pass without the change or assert nothing (bite: T1,
        // T2, T10, T11), special cases their own reviewer says NO_GO to (review: T3, T8), stubs that fail their own
        // tests (suite, after stubs: T4, T9), README.md edits out of scope (scope: T5, T7).
        // T6 is the deterministic rails' known gap: a weak test (only `status < 300` and the title) over code
        // that answers 200 for a new post and crashes on a title without letters. The test fails without the
        // code and kills a mutant, so only a reviewer can refuse it, and this answer set's reviewer says GO.
        // The benchmark must still see it: T6's hidden tests run at T6's own commit (T7's oracle rewrites
        // blog/app.py and would hide it), so it is a false GO.
        expect(Object.fromEntries(result.tasks.map((task) => [task.taskId, task.attemptRefusedBy]))).toEqual({
          T1: ['bite', null],
          T2: ['bite', null],
          T3: ['review', null],
          T4: ['suite', null],
          T5: ['scope', null],
          T6: [null],
          T7: ['scope', null],
          T8: ['review', null],
          T9: ['suite', null],
          T10: ['bite', null],
          T11: ['bite', null],
        });
        for (const task of result.tasks.filter((item) => item.taskId !== 'T6')) {
          expect([task.status, task.attempts], `${task.taskId} should be committed on attempt 2, the oracle's`).toEqual(['done', 2]);
          expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
        }
        const t6 = result.tasks[5]!;
        expect([t6.status, t6.attempts, t6.falseGo]).toEqual(['done', 1, true]);
        expect(t6.hidden?.output).toContain('test_create_returns_201_and_the_post');
        expect(result.tasks[3]?.railsFired.stubs, "T4's stub should fire the stubs rail").toBeGreaterThan(0);
        expect(result.tasks[8]?.railsFired.stubs, "T9's stub should fire the stubs rail").toBeGreaterThan(0);
        expect(result.hiddenPassed).toBe(HIDDEN_TOTAL - t6.hidden!.failed);
        expect(result.falseGo).toBe(1);
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      'with the rails off nine bad answers are delivered and eight of them are false GOs',
      async () => {
        const result = await runLevel({ answers: 'bad', rails: 'off' });
        expect(result.environmentError).toBeNull();
        // Delivered and wrong: T1 (slugs neither cut nor numbered past -2, under a test of `re`), T2 (stops at the
        // first error, under tests that assert nothing), T3 (numbers only "hello-world"), T6 (200 for a new post,
        // a crash on a title without letters), T7 (right, but T2's validation under it misses unknown fields),
        // T8 (caps only per_page=500), T10 (comments never validated), T11 (a slug route that takes numbers).
        // Delivered and right: T5 (with an out-of-scope README.md edit). Not delivered: the stubs of T4 and T9.
        expect(result.tasks.map((task) => [task.taskId, task.delivered, task.falseGo])).toEqual([
          ['T1', true, true],
          ['T2', true, true],
          ['T3', true, true],
          ['T4', false, false],
          ['T5', true, false],
          ['T6', true, true],
          ['T7', true, true],
          ['T8', true, true],
          ['T9', false, false],
          ['T10', true, true],
          ['T11', true, true],
        ]);
        expect(result.committed).toBe(9);
        expect(result.falseGo).toBe(8);
        expect(result.hiddenPassed).toBeLessThan(HIDDEN_TOTAL);
      },
      SESSION_TIMEOUT_MS,
    );
  },
);
