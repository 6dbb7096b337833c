import { cp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
import { expectBenchOracle } from '../../utils/expectBenchOracle.js';
import { dockerSkipNote, findTestDocker } from '../../utils/findTestDocker.js';

const LEVEL_DIR = resolve('resources/bench/L6');
/** Hidden tests per task (pytest's count, parametrized cases included): T1 22, T2 19, T3 24, T4 13, T5 7. */
const HIDDEN_TOTAL = 85;
/** A real session with Docker execs on a shared 2-core machine: the oracle took 4 to 6 minutes here, the file 8. */
const SESSION_TIMEOUT_MS = 900_000;

const level = await loadBenchLevel({ dir: LEVEL_DIR });
// Flask and PyJWT come from the sandbox image's Debian packages (sandboxPackages), which only the Docker sandbox installs.
const docker = await findTestDocker();
const runner = createBenchLevelRunner({ level, sandbox: 'docker' });
const runLevel = runner.run;

afterAll(() => runner.dispose());

describe.skipIf(!docker.docker)(
  dockerSkipNote(docker, 'bench L6 expense tracker with JWT'),
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
        // What refused each attempt: T1's and T2's tests pass without the change or assert nothing (bite); T3's edit
        // of money.py is out of scope, and its test, kept across that refusal, then fails bite under the oracle's
        // code; T4's special case gets a NO_GO review; T5's to_csv is a stub.
        expect(result.tasks.map((task) => [task.taskId, task.status, task.attemptRefusedBy])).toEqual([
          ['T1', 'done', ['bite', null]],
          ['T2', 'done', ['bite', null]],
          ['T3', 'done', ['scope', 'bite', null]],
          ['T4', 'done', ['review', null]],
          ['T5', 'done', ['stubs', null]],
        ]);
        for (const task of result.tasks) expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
        expect(result.hiddenPassed).toBe(HIDDEN_TOTAL);
        expect(result.falseGo).toBe(0);
        // The loop keeps a verified failing test across a refusal of the code: T5's bad test (status and mimetype
        // only, but it fails before the change and passes after it) is delivered with the oracle's export.
        expect(await runner.differencesFromOracle(result), "files delivered other than the oracle's answers made them").toEqual(['tests/test_export.py']);
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      'with the rails off every bad answer is delivered, and each is a false GO its hidden tests catch',
      async () => {
        const result = await runLevel({ answers: 'bad', rails: 'off' });
        expect(result.environmentError).toBeNull();
        // T1 keeps plain-text passwords under a test that passes without the change, T2 issues tokens that never
        // expire under a test that asserts nothing, T3 edits money.py out of scope and lists every user's expenses,
        // T4 special-cases the test's category as over budget, T5's to_csv is a stub.
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
        const levelDir = join(root, 'L6');
        await cp(LEVEL_DIR, levelDir, { recursive: true });
        const missing = 'python3-nightshift-no-such-package';
        const config = JSON.parse(await readFile(join(levelDir, 'level.json'), 'utf8')) as Record<string, unknown>;
        await writeFile(join(levelDir, 'level.json'), JSON.stringify({ ...config, sandboxPackages: { debian: ['python3-flask', 'python3-jwt', missing] } }));
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
