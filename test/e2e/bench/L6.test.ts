import { cp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { createBenchLevelRunner } from '../../utils/createBenchLevelRunner.js';
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

describe.skipIf(!docker.docker || (level.level.slow && !process.env.NIGHTSHIFT_BENCH_ALL))(
  dockerSkipNote(docker, level.level.slow ? 'bench L6 expense tracker with JWT (slow: NIGHTSHIFT_BENCH_ALL=1 runs it)' : 'bench L6 expense tracker with JWT'),
  () => {
    it(
      'the oracle commits every task on its first attempt and passes every hidden test',
      async () => {
        const result = await runLevel({ answers: 'oracle', rails: 'on' });
        expect(result.environmentError).toBeNull();
        for (const task of result.tasks) {
          expect(task.firstAttempt, `${task.taskId} was not committed on attempt 1: refused by ${task.refusedBy} after ${task.attempts} attempt(s)`).toBe(true);
          expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
        }
        expect(result.committed).toBe(5);
        expect(result.hiddenTotal).toBe(HIDDEN_TOTAL);
        expect(result.hiddenPassed).toBe(HIDDEN_TOTAL);
        expect(result.falseGo).toBe(0);
      },
      SESSION_TIMEOUT_MS,
    );

    it(
      'with the rails on no bad answer is delivered: T1\'s test passes without the change, so its RED proof fails (bite), and the rest wait on it',
      async () => {
        const result = await runLevel({ answers: 'bad', rails: 'on' });
        expect(result.environmentError).toBeNull();
        expect(result.committed).toBe(0);
        expect(result.falseGo).toBe(0);
        expect(result.tasks.map((task) => [task.taskId, task.status, task.refusedBy])).toEqual([
          ['T1', 'deadlocked', 'bite'],
          ['T2', 'skipped', 'skipped'],
          ['T3', 'skipped', 'skipped'],
          ['T4', 'skipped', 'skipped'],
          ['T5', 'skipped', 'skipped'],
        ]);
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
