import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchRunRecord, BenchRunSummary } from '../../../src/bench/createBenchRunStore.js';
import { createTinyBenchLevel } from '../../fixtures/createTinyBenchLevel.js';
import { dockerSkipNote, findTestDocker } from '../../utils/findTestDocker.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

const docker = await findTestDocker();

/** A folder holding the generated two-task level, and the bench command over it with scripted models, unsandboxed. */
function setup(options: { debianPackages?: string[] } = {}) {
  const root = makeTempDir();
  const levelsDir = join(root, 'levels');
  createTinyBenchLevel({ parent: levelsDir, ...options });
  const dataDir = join(root, 'data');
  const bench = (...args: string[]) =>
    runCli({
      // The defaults come first, so a test's own --sandbox wins (the last one given counts).
      args: ['bench', args[0]!, ...(args[0] === 'run' ? ['--levels-dir', levelsDir, '--sandbox', 'local', '--allow-unsandboxed'] : []), ...args.slice(1), '--data-dir', dataDir],
      timeoutMs: 540_000,
    });
  return { bench };
}

describe('nightshift bench', () => {
  it('runs a level with the rails on and off, stores each run, lists, exports and compares them', { timeout: 900_000 }, () => {
    const { bench } = setup();
    const bad = bench('run', '--models', 'scripted:{level}/answers/bad.json', '--rails', 'both');
    expect(bad.stderr).toMatch(/stored as bench-/);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toMatch(/TINY, rails on\n\s+tasks committed\s+0\/2/);
    expect(bad.stdout).toMatch(/TINY, rails off\n\s+tasks committed\s+2\/2/);
    expect(bad.stdout).toMatch(/false GO\s+1/);
    expect(bad.stdout).toMatch(/TINY uplift \(rails on vs off\): hidden tests passed -2, false GOs prevented 1, tasks committed -2/);
    expect(bad.stdout).toMatch(/harness overhead .*target <= 5%: (MET|NOT MET)/);
    expect(bad.stdout).toMatch(/tokens coder\s+\d+ prompt, \d+ output/);
    const badId = /Stored as (bench-\S+):/.exec(bad.stdout)?.[1];
    expect(badId).toBeDefined();

    const oracle = bench('run', '--models', 'scripted:{level}/answers/oracle.json', '--json');
    expect(oracle.code).toBe(0);
    const exported = JSON.parse(oracle.stdout) as { runId: string; models: string; records: BenchRunRecord[] };
    expect(exported.records).toHaveLength(1);
    expect(exported.records[0]).toMatchObject({ levelId: 'TINY', rails: 'on', repeatIndex: 0, result: { committed: 2, total: 2, hiddenPassed: 5, hiddenTotal: 5, firstRunPassRate: 1, falseGo: 0, environmentError: null } });
    expect(Object.keys(exported.records[0]!.result.time).sort()).toEqual(['harnessMs', 'modelMs', 'testsMs']);

    const list = bench('list', '--json');
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as BenchRunSummary[];
    expect(runs.map((run) => run.runId)).toEqual([exported.runId, badId]);
    expect(runs[1]).toMatchObject({ levels: ['TINY'], rails: ['on', 'off'], repeats: 1 });
    expect(bench('list').stdout).toContain(`${badId}`);

    const compared = bench('compare', badId!, exported.runId);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/TINY, rails on\n\s+committed\s+0 -> 2 \(\+2\)/);
    const comparedJson = JSON.parse(bench('compare', badId!, exported.runId, '--json').stdout) as { rows: Array<{ levelId: string; rails: string; figures: Record<string, { a: number; b: number }> }> };
    expect(comparedJson.rows).toEqual([expect.objectContaining({ levelId: 'TINY', rails: 'on', figures: expect.objectContaining({ hiddenPassed: { a: 0, b: 5 } }) })]);
  });

  it.skipIf(!docker.docker)(dockerSkipNote(docker, 'exits 3 and says so when a level\'s environment fails, stored like any run'), { timeout: 600_000 }, () => {
    const { bench } = setup({ debianPackages: ['python3-no-such-package-nightshift'] });
    const result = bench('run', '--models', 'scripted:{level}/answers/oracle.json', '--sandbox', 'docker');
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/ENVIRONMENT ERROR \(not a model failure\): .*python3-no-such-package-nightshift/);
    expect(result.stdout).toMatch(/tasks committed\s+0\/2/);
    expect(JSON.parse(bench('list', '--json').stdout)).toHaveLength(1);
  });

  it('refuses bad input with exit code 2 and a hint', () => {
    const { bench } = setup();
    const unknown = bench('run', '--levels', 'L99', '--models', 'scripted:{level}/answers/oracle.json');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No benchmark level L99[\s\S]*Levels here: TINY/);
    expect(bench('run', '--repeat', '0').code).toBe(2);
    expect(bench('run', '--rails', 'sometimes').code).toBe(2);
    const missing = bench('compare', 'bench-nope', 'bench-nada');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No stored benchmark run bench-nope or bench-nada[\s\S]*bench list/);
    expect(bench('list').stdout).toMatch(/No benchmark run is stored yet/);
  });
});
