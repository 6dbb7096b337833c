import { cp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
import { expectBenchOracle } from '../../utils/expectBenchOracle.js';
import { dockerSkipNote, findTestDocker } from '../../utils/findTestDocker.js';

const LEVEL_DIR = resolve('resources/bench/L5');
/** Hidden tests per task (pytest's count, parametrized cases included): T1 17, T2 10, T3 12, T4 7, T5 10. */
const HIDDEN_TOTAL = 56;
/** A real session with Docker execs on a shared 2-core machine: the oracle took 3 to 6.5 minutes here, the file 12. */
const SESSION_TIMEOUT_MS = 900_000;

const level = await loadBenchLevel({ dir: LEVEL_DIR });
// Flask comes from the sandbox image's Debian packages (sandboxPackages), which only the Docker sandbox installs.
const docker = await findTestDocker();
const runner = createBenchLevelRunner({ level, sandbox: 'docker' });
const runLevel = runner.run;

afterAll(() => runner.dispose());

describe.skipIf(!docker.docker)(
  dockerSkipNote(docker, 'bench L5 Flask bookmark API'),
  () => {
    it(
      'the oracle commits every task on its first attempt and passes every hidden test',
      async () => {
        await expectBenchOracle({ runner, committed: 5, hiddenTotal: HIDDEN_TOTAL });
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      "with the rails on every bad answer is refused, and the oracle's retry is delivered (T2's after a re-plan)",
      async () => {
        const result = await runLevel({ answers: 'bad-then-oracle', rails: 'on' });
        expect(result.environmentError).toBeNull();
        // T1's test asserts nothing and T2's passes without the change (bite). T2's bad plan leaves
        // bookmarks/store.py out of its targetFiles, so scope refuses the oracle's code on attempt 2; the loop
        // then asks for a plan again, and the oracle's delivers on attempt 3. T3's answer (which also edits
        // README.md out of scope) and T4's special-cased tag counts fail the suite; T5's test passes without the
        // change (bite).
        expect(result.tasks.map((task) => [task.taskId, task.status, task.attemptRefusedBy])).toEqual([
          ['T1', 'done', ['bite', null]],
          ['T2', 'done', ['bite', 'scope', null]],
          ['T3', 'done', ['suite', null]],
          ['T4', 'done', ['suite', null]],
          ['T5', 'done', ['bite', null]],
        ]);
        for (const task of result.tasks) expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
        expect(result.committed).toBe(5);
        expect(result.hiddenPassed).toBe(HIDDEN_TOTAL);
        expect(result.falseGo).toBe(0);
        // T3's bad answer failed on its code: its test, verified failing and judging behaviour (thinner than the
        // oracle's, not wrong), is kept for the retry and ships beside the oracle's code.
        expect(await runner.differencesFromOracle(result), "files delivered other than the oracle's answers made them").toEqual(['tests/test_one_bookmark.py']);
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      'with the rails off every bad answer is delivered, and each is a false GO its hidden tests catch',
      async () => {
        const result = await runLevel({ answers: 'bad', rails: 'off' });
        expect(result.environmentError).toBeNull();
        // T1 asserts nothing over a validator that checks nothing, T2's test passes without the change, T3 edits
        // README.md out of scope, T4 special-cases the test's tag counts, T5 registers a stub error handler
        // under a test that passes without the change.
        expect(result.tasks.map((task) => [task.taskId, task.delivered, task.falseGo])).toEqual([
          ['T1', true, true],
          ['T2', true, true],
          ['T3', true, true],
          ['T4', true, true],
          ['T5', true, true],
        ]);
        expect(result.committed).toBe(5);
        expect(result.falseGo).toBe(5);
        expect(result.hiddenPassed).toBeLessThan(HIDDEN_TOTAL);
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      'a Debian package the mirror lacks ends the run as an environment error naming it, not as model failures',
      async () => {
        const root = await runner.tempDir('missing-package');
        const levelDir = join(root, 'L5');
        await cp(LEVEL_DIR, levelDir, { recursive: true });
        const missing = 'python3-nightshift-no-such-package';
        const config = JSON.parse(await readFile(join(levelDir, 'level.json'), 'utf8')) as Record<string, unknown>;
        await writeFile(join(levelDir, 'level.json'), JSON.stringify({ ...config, sandboxPackages: { debian: ['python3-flask', missing] } }));
        const result = await runLevel({ answers: 'oracle', rails: 'on', levelDir });
        expect(result.environmentError, 'the run should stop with an environment error').not.toBeNull();
        expect(JSON.stringify(result.environmentError)).toContain(missing);
        expect(result.committed).toBe(0);
        expect(result.falseGo).toBe(0);
        expect(result.failuresByType).toEqual({});
        expect(result.failuresByRail).toEqual({});
      },
      SESSION_TIMEOUT_MS,
    );
  },
);
