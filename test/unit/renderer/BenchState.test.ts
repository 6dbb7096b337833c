import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createBenchRunStore } from '../../../src/bench/createBenchRunStore.js';
import { createMainHost } from '../../../src/host/createMainHost.js';
import { BenchState } from '../../../src/renderer/state/BenchState.svelte.js';
import { MetricsState } from '../../../src/renderer/state/MetricsState.svelte.js';
import { apiOverHost } from '../../utils/apiOverHost.js';
import { BAD_RUN, knownBenchRuns, LOCAL_RUN } from '../../utils/knownBenchRuns.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

/** The Benchmarks state over the real host, its database holding `records` as `nightshift bench run` stores them. */
function benchOver(records = knownBenchRuns, hold?: () => Promise<void>): BenchState {
  const dataDir = makeTempDir('nightshift-bench-state-');
  const store = createBenchRunStore({ dbPath: join(dataDir, 'nightshift.db') });
  for (const record of records) store.save(record);
  store.dispose();
  const host = createMainHost({ dataDir });
  onTestFinished(() => host.dispose());
  return new BenchState({ api: apiOverHost({ host, ...(hold ? { hold } : {}) }) });
}

describe('BenchState', () => {
  it('lists the runs newest first and shows the newest, with a red false GO where the rails let broken work through', async () => {
    const bench = benchOver();
    await bench.load();
    expect(bench.loading).toBe(false);
    expect(bench.empty).toBe(false);
    expect(bench.runRows.map((run) => [run.runId, run.rails, run.levels, run.repeats, run.hidden, run.falseGoOn, run.falseGoOff, run.environmentErrors])).toEqual([
      [LOCAL_RUN, 'on', 'L2, L3', 3, 'rails on 94/97', 1, null, 0],
      [BAD_RUN, 'on + off', 'L2, L3, L5', 1, 'rails on 7/153, rails off 30/97', 0, 7, 1],
    ]);
    expect(bench.selectedRunId).toBe(LOCAL_RUN);
    expect(bench.levelRows.map((row) => [row.levelId, row.committed, row.hidden, row.firstRun, row.falseGo, row.falseGoDefect, row.overheadMet])).toEqual([
      ['L2', '4 (3..4)/4', '70 (60..70)/70', '75% (50%..75%)', '0', false, true],
      ['L3', '3 (2..4)/4', '24 (20..26)/27', '75% (50%..100%)', '1 (0..1)', true, false],
    ]);
    expect(bench.levelRows[1]!.overhead).toBe('8% (target ≤ 5%: NOT MET)');
    expect(bench.levelRows[0]!.wall).toBe('10m 00s (8m 20s..11m 40s)');
    expect(bench.levelRows[0]!.split).toBe('model 8m 00s, tests 1m 30s, harness 30.0 s');
    expect(bench.falseGoDefects.map((row) => row.levelId)).toEqual(['L3']);
    expect(bench.hiddenChart!.series).toEqual([{ label: 'Rails on', values: [100, 88.9], tone: 'ok' }]);
    expect(bench.uplift).toEqual([]);
  });

  it('draws rails on beside rails off per level, with the uplift and the environment error', async () => {
    const bench = benchOver();
    await bench.load();
    bench.select(BAD_RUN);
    const chart = bench.hiddenChart!;
    expect(chart.labels).toEqual(['L2', 'L3', 'L5']);
    expect(chart.series).toEqual([
      { label: 'Rails on', values: [10, 0, 0], tone: 'ok' },
      { label: 'Rails off', values: [30, 33.3, 0], tone: 'muted' },
    ]);
    expect(chart.rows).toEqual([
      ['L2', 'on', 7, 70, 10, 0],
      ['L2', 'off', 21, 70, 30, 3],
      ['L3', 'on', 0, 27, 0, 0],
      ['L3', 'off', 9, 27, 33.3, 4],
      ['L5', 'on', 0, 56, 0, 0],
    ]);
    expect(bench.uplift).toEqual([
      { levelId: 'L2', hiddenPassed: '-14', falseGoPrevented: 3, committed: '-3' },
      { levelId: 'L3', hiddenPassed: '-9', falseGoPrevented: 4, committed: '-4' },
    ]);
    expect(bench.falseGoDefects).toEqual([]);
    expect(bench.levelRows.at(-1)!.environmentErrors).toEqual([
      'The sandbox cannot get the Debian package python3-flask. Build the sandbox images once online (resources/sandbox/build-offline.sh).',
    ]);
  });

  it('compares the newest two runs by default, level by level with B minus A', async () => {
    const bench = benchOver();
    await bench.load();
    expect([bench.compareA, bench.compareB]).toEqual([BAD_RUN, LOCAL_RUN]);
    await bench.compare();
    const chart = bench.comparisonChart!;
    expect(chart.kind).toBe('table');
    expect(chart.columns).toEqual(['Level', 'Rails', 'Figure', 'A', 'B', 'Change']);
    const row = (level: string, figure: string) => chart.rows.find((each) => each[0] === level && each[2] === figure);
    expect(row('L2', 'Hidden tests passed')).toEqual(['L2', 'on', 'Hidden tests passed', 7, 70, '+63']);
    expect(row('L2', 'First-run pass rate %')).toEqual(['L2', 'on', 'First-run pass rate %', 0, 75, '+75']);
    expect(row('L2', 'DEADLOCK')).toEqual(['L2', 'on', 'DEADLOCK', 4, 0, '-4']);
    expect(row('L3', 'False GO')).toEqual(['L3', 'on', 'False GO', 0, 1, '+1']);
    expect(row('L3', 'Wall time s')).toEqual(['L3', 'on', 'Wall time s', 80, 600, '+520']);
    expect(chart.rows).toHaveLength(18);
    expect(bench.unmatched).toEqual(['L2 rails off (A only)', 'L3 rails off (A only)', 'L5 rails on (A only)']);

    bench.choose({ a: LOCAL_RUN });
    expect(bench.comparison).toBeNull();
    await bench.compare();
    expect(bench.comparisonChart!.rows.every((each) => each[5] === '0')).toBe(true);
  });

  it('shows the host’s refusal of a run that is no longer stored, naming it', async () => {
    const bench = benchOver();
    await bench.load();
    bench.choose({ a: 'bench-deleted' });
    await bench.compare();
    expect(bench.error).toMatchObject({ code: 'BENCH_RUN_NOT_FOUND', context: { missing: ['bench-deleted'] } });
    expect(bench.error!.message).toContain('bench-deleted');
    expect(bench.comparison).toBeNull();
    bench.dismissError();
    expect(bench.error).toBeNull();
  });

  it('is empty when no benchmark was run, with nothing selected or compared', async () => {
    const bench = benchOver([]);
    expect(bench.empty).toBe(false);
    await bench.load();
    expect(bench.empty).toBe(true);
    expect([bench.selectedRunId, bench.compareA, bench.compareB, bench.hiddenChart]).toEqual([null, null, null, null]);
    await bench.compare();
    expect(bench.comparison).toBeNull();
  });

  it('keeps the newest answer when an older one arrives later, and the Metrics view owns one', async () => {
    const answers: Array<() => void> = [];
    const bench = benchOver(knownBenchRuns, () => new Promise<void>((resolve) => answers.push(resolve)));
    const older = bench.load();
    const newer = bench.load();
    answers[1]!();
    await newer;
    expect(bench.runs).toHaveLength(2);
    bench.select(BAD_RUN);
    answers[0]!();
    await older;
    expect(bench.selectedRunId).toBe(BAD_RUN);
    expect(bench.loading).toBe(false);
    expect(new MetricsState({ api: apiOverHost({ host: { handle: () => Promise.reject(new Error('not asked')) } }) }).bench).toBeInstanceOf(BenchState);
  });
});
