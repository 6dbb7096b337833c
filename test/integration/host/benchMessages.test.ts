import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createBenchRunStore } from '../../../src/bench/createBenchRunStore.js';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import type { BenchComparison, BenchRunsPage } from '../../../src/shared/benchProtocol.js';
import { BAD_RUN, knownBenchRuns, LOCAL_RUN } from '../../utils/knownBenchRuns.js';
import { NIGHT_1 } from '../../utils/knownNights.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

/** A host over a data directory whose known runs were stored as `nightshift bench run` stores them. */
function hostWithRuns(): { host: MainHost; dataDir: string } {
  const dataDir = makeTempDir('nightshift-bench-host-');
  const store = createBenchRunStore({ dbPath: join(dataDir, 'nightshift.db') });
  for (const record of knownBenchRuns) store.save(record);
  store.dispose();
  const host = createMainHost({ dataDir });
  onTestFinished(() => host.dispose());
  return { host, dataDir };
}

async function value<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const answer = await result;
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value;
}

describe('bench messages', () => {
  it('bench/runs lists the stored runs newest first, with nightshift bench’s figures per level and rails mode', async () => {
    const { host } = hostWithRuns();
    const page = await value<BenchRunsPage>(host.handle('bench/runs', {}));
    expect(page.total).toBe(2);
    expect(page.harnessOverheadTarget).toBe(0.05);
    expect(page.runs.map((run) => [run.runId, run.startedAt, run.models, run.levels, run.rails, run.repeats])).toEqual([
      [LOCAL_RUN, NIGHT_1 + 86_400_000, 'local', ['L2', 'L3'], ['on'], 3],
      [BAD_RUN, NIGHT_1, 'scripted:{level}/answers/bad.json', ['L2', 'L3', 'L5'], ['on', 'off'], 1],
    ]);
    const bad = page.runs[1]!;
    expect(bad.figures.map((figures) => [figures.levelId, figures.rails, figures.committed.median, figures.total, figures.hiddenPassed.median, figures.hiddenTotal.median, figures.falseGo.median])).toEqual([
      ['L2', 'on', 0, 4, 7, 70, 0],
      ['L2', 'off', 3, 4, 21, 70, 3],
      ['L3', 'on', 0, 4, 0, 27, 0],
      ['L3', 'off', 4, 4, 9, 27, 4],
      ['L5', 'on', 0, 5, 0, 56, 0],
    ]);
    expect(bad.figures[0]!.deadlocks.median).toBe(4);
    expect(bad.figures[4]!.environmentErrors).toEqual(['The sandbox cannot get the Debian package python3-flask. Build the sandbox images once online (resources/sandbox/build-offline.sh).']);

    const [l2, l3] = page.runs[0]!.figures;
    expect(l2!.committed).toEqual({ min: 3, median: 4, max: 4 });
    expect(l2!.hiddenPassed).toEqual({ min: 60, median: 70, max: 70 });
    expect(l2!.firstRunPassRate.median).toBe(0.75);
    expect(l2!.wallMs).toEqual({ min: 500_000, median: 600_000, max: 700_000 });
    expect(l2!.modelMs.median + l2!.testsMs.median + l2!.harnessMs.median).toBe(600_000);
    expect(l2!.harnessOverheadMet).toBe(true);
    // Two of three repeats delivered one broken L3 task with the rails on.
    expect(l3!.falseGo).toEqual({ min: 0, median: 1, max: 1 });
    expect(l3!.harnessOverheadMax.max).toBe(0.08);
    expect(l3!.harnessOverheadMet).toBe(false);

    const newest = await value<BenchRunsPage>(host.handle('bench/runs', { limit: 1 }));
    expect(newest.runs.map((run) => run.runId)).toEqual([LOCAL_RUN]);
    expect(newest.total).toBe(2);
    expect(await host.handle('bench/runs', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', context: { field: 'limit' } } });
  });

  it('bench/compare puts two runs’ medians side by side for the levels and modes both ran', async () => {
    const { host } = hostWithRuns();
    const comparison = await value<BenchComparison>(host.handle('bench/compare', { a: BAD_RUN, b: LOCAL_RUN }));
    expect([comparison.a.runId, comparison.b.runId]).toEqual([BAD_RUN, LOCAL_RUN]);
    expect(comparison.rows.map((row) => `${row.levelId} ${row.rails}`)).toEqual(['L2 on', 'L3 on']);
    const [l2, l3] = comparison.rows;
    expect(l2!.figures['committed']).toEqual({ a: 0, b: 4 });
    expect(l2!.figures['hiddenPassed']).toEqual({ a: 7, b: 70 });
    expect(l2!.figures['deadlocks']).toEqual({ a: 4, b: 0 });
    expect(l3!.figures['falseGo']).toEqual({ a: 0, b: 1 });
    expect(l3!.figures['wallMs']).toEqual({ a: 80_000, b: 600_000 });
  });

  it('bench/compare refuses a run that is not stored, naming it', async () => {
    const { host } = hostWithRuns();
    const one = await host.handle('bench/compare', { a: BAD_RUN, b: 'bench-nope' });
    expect(one).toMatchObject({ ok: false, error: { code: 'BENCH_RUN_NOT_FOUND', context: { missing: ['bench-nope'] } } });
    expect(one.ok ? '' : one.error.message).toContain('bench-nope');
    const both = await host.handle('bench/compare', { a: 'gone-a', b: 'gone-b' });
    expect(both).toMatchObject({ ok: false, error: { code: 'BENCH_RUN_NOT_FOUND', message: 'No stored benchmark run gone-a or gone-b in the Nightshift database.' } });
    expect(await host.handle('bench/compare', { a: '', b: LOCAL_RUN })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', context: { field: 'a' } } });
  });

  it('a fresh database answers an empty list, and so does one from before bench_runs existed', async () => {
    const fresh = createMainHost({ dataDir: makeTempDir('nightshift-bench-fresh-') });
    onTestFinished(() => fresh.dispose());
    expect(await value<BenchRunsPage>(fresh.handle('bench/runs', {}))).toEqual({ runs: [], total: 0, harnessOverheadTarget: 0.05 });

    const { host, dataDir } = hostWithRuns();
    // As a database migrated by an older Nightshift: the table is not there at all.
    const writer = new Database(join(dataDir, 'nightshift.db'));
    writer.exec('DROP TABLE bench_runs');
    writer.close();
    expect(await value<BenchRunsPage>(host.handle('bench/runs', {}))).toEqual({ runs: [], total: 0, harnessOverheadTarget: 0.05 });
    expect(await host.handle('bench/compare', { a: BAD_RUN, b: LOCAL_RUN })).toMatchObject({ ok: false, error: { code: 'BENCH_RUN_NOT_FOUND', context: { missing: [BAD_RUN, LOCAL_RUN] } } });
  });

  it('bench/runs sees a run stored while the host is open', async () => {
    const dataDir = makeTempDir('nightshift-bench-live-');
    const host = createMainHost({ dataDir });
    onTestFinished(() => host.dispose());
    expect((await value<BenchRunsPage>(host.handle('bench/runs', {}))).runs).toEqual([]);
    const store = createBenchRunStore({ dbPath: join(dataDir, 'nightshift.db') });
    for (const record of knownBenchRuns.filter((each) => each.runId === BAD_RUN)) store.save(record);
    store.dispose();
    expect((await value<BenchRunsPage>(host.handle('bench/runs', {}))).runs.map((run) => run.runId)).toEqual([BAD_RUN]);
  });
});
