import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBenchLevels } from '../../../src/bench/listBenchLevels.js';
import { loadBenchLevel } from '../../../src/bench/loadBenchLevel.js';
import { runBenchLevel } from '../../../src/bench/runBenchLevel.js';
import { createTinyBenchLevel } from '../../fixtures/createTinyBenchLevel.js';
import { git, writeFiles } from '../../utils/createGitRepo.js';
import { dockerSkipNote, findTestDocker } from '../../utils/findTestDocker.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const local = { sandbox: 'local' as const, allowUnsandboxed: true };
const docker = await findTestDocker();

describe('runBenchLevel on a generated two-task level', () => {
  it('oracle, rails on: both tasks committed first time, every hidden test passes, time and tokens accounted', async () => {
    const root = makeTempDir();
    const { dir, oraclePath } = createTinyBenchLevel({ parent: root, debianPackages: ['python3-six'] });
    const level = await loadBenchLevel({ dir });
    expect(level.tasks.map((task) => task.id)).toEqual(['T1', 'T2']);
    expect(level.hiddenTaskIds).toEqual(['T1', 'T2']);
    const workDir = join(root, 'work');
    const result = await runBenchLevel({ level, models: `scripted:${oraclePath}`, rails: 'on', dataDir: join(root, 'data'), workDir, ...local });
    const refused = result.tasks.filter((task) => !task.delivered).map((task) => `${task.taskId} refused by ${task.refusedBy}`);
    expect(refused).toEqual([]);
    expect(result).toMatchObject({ levelId: 'TINY', rails: 'on', committed: 2, total: 2, hiddenPassed: 5, hiddenTotal: 5, firstRunPassRate: 1, attemptsPerTask: 1, falseGo: 0, environmentError: null });
    expect(result.tasks.map((task) => task.hidden)).toMatchObject([{ passed: 3, failed: 0, total: 3 }, { passed: 2, failed: 0, total: 2 }]);
    expect(result.time.modelMs + result.time.testsMs + result.time.harnessMs).toBeGreaterThanOrEqual(result.wallMs - 1);
    expect(result.time.testsMs).toBeGreaterThan(0);
    expect(result.harnessOverheadPerAttempt.max).toBeGreaterThanOrEqual(result.harnessOverheadPerAttempt.median);
    expect(result.harnessOverheadPerAttempt.max).toBeLessThanOrEqual(1);
    expect(Object.keys(result.tokens).sort()).toEqual(['brain', 'coder', 'qa']);
    expect(result.tokens.coder!.outputTokens).toBeGreaterThan(0);
    // The copy: one commit with the level's packages merged into nightshift.json; the session's branch on top.
    const copy = join(workDir, 'repo');
    expect(JSON.parse(readFileSync(join(copy, 'nightshift.json'), 'utf8'))).toEqual({ maxAttempts: 2, sandboxPackages: { debian: ['python3-six'] } });
    expect(git(copy, 'rev-list', '--count', 'main')).toBe('1');
    expect(git(copy, 'rev-list', '--count', `nightshift/${result.sessionId}`)).toBe('3');
  });

  it('bad answers: rails on deliver nothing; rails off deliver both, one a false GO', async () => {
    const root = makeTempDir();
    const { dir, badPath } = createTinyBenchLevel({ parent: root });
    const level = await loadBenchLevel({ dir });
    const on = await runBenchLevel({ level, models: `scripted:${badPath}`, rails: 'on', dataDir: join(root, 'data'), workDir: join(root, 'on'), ...local });
    // Nothing delivered: each hidden file fails to import its module at the start, and its declared tests count as failed.
    expect(on).toMatchObject({ committed: 0, hiddenPassed: 0, hiddenTotal: 5, falseGo: 0, environmentError: null });
    expect(on.tasks.every((task) => task.hidden === null && task.refusedBy !== null)).toBe(true);
    expect(on.deadlocks + on.escalations).toBe(2);
    expect(Object.values(on.failuresByType).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);

    const off = await runBenchLevel({ level, models: `scripted:${badPath}`, rails: 'off', dataDir: join(root, 'data'), workDir: join(root, 'off'), ...local });
    expect(off).toMatchObject({ rails: 'off', committed: 2, hiddenPassed: 2, hiddenTotal: 5, falseGo: 1, environmentError: null });
    expect(off.tasks.map((task) => [task.taskId, task.falseGo])).toEqual([['T1', true], ['T2', false]]);
    expect(off.tasks[0]!.hidden).toMatchObject({ passed: 0, failed: 3, total: 3 });
  });

  it.skipIf(!docker.docker)(dockerSkipNote(docker, 'reports a package the Docker sandbox cannot get as an environment error, not as model failures'), async () => {
    const root = makeTempDir();
    const { dir, oraclePath } = createTinyBenchLevel({ parent: root, debianPackages: ['python3-no-such-package-nightshift'] });
    const level = await loadBenchLevel({ dir });
    const result = await runBenchLevel({ level, models: `scripted:${oraclePath}`, rails: 'on', dataDir: join(root, 'data'), workDir: join(root, 'work'), sandbox: 'docker' });
    expect(JSON.stringify(result.environmentError)).toContain('python3-no-such-package-nightshift');
    expect(result.committed).toBe(0);
    expect(result.failuresByType).toEqual({});
  });

  it('lists levels sorted by id and refuses a broken one with its reason', async () => {
    const root = makeTempDir();
    createTinyBenchLevel({ parent: root, id: 'L3' });
    createTinyBenchLevel({ parent: root, id: 'L10' });
    expect((await listBenchLevels({ root })).map((level) => level.level.id)).toEqual(['L3', 'L10']);
    writeFiles(join(root, 'L3'), { 'hidden/T9/test_x.py': '' });
    await expect(listBenchLevels({ root })).rejects.toMatchObject({ code: 'BENCH_LEVEL_INVALID', message: expect.stringContaining('T9') });
    const level10 = JSON.parse(readFileSync(join(root, 'L10', 'level.json'), 'utf8'));
    writeFiles(join(root, 'L10'), { 'level.json': JSON.stringify({ ...level10, hiddenTests: { T1: 3 } }) });
    await expect(loadBenchLevel({ dir: join(root, 'L10') })).rejects.toMatchObject({ code: 'BENCH_LEVEL_INVALID', message: expect.stringContaining('hiddenTests lacks T2') });
    writeFiles(join(root, 'L3'), { 'level.json': '{"id": "L3"}' });
    await expect(loadBenchLevel({ dir: join(root, 'L3') })).rejects.toMatchObject({ code: 'BENCH_LEVEL_INVALID', message: expect.stringContaining('level.json') });
  });
});
