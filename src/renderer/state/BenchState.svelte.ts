import type { BenchComparisonRow } from '../../shared/BenchComparisonRow.js';
import type { BenchFigures, Spread } from '../../shared/BenchFigures.js';
import type { BenchComparison, BenchRunsPage, BenchRunView } from '../../shared/benchProtocol.js';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { ProtocolFailure } from '../../shared/protocol.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';
import { formatMilliseconds } from '../format/formatMilliseconds.js';
import type { ChartSpec } from './ChartSpec.js';

/** What the empty Benchmarks section tells the user to run. */
export const BENCH_RUN_COMMAND = 'nightshift bench run --models local';

/** One level and rails mode of the shown run, as the levels table prints it. */
export interface BenchLevelRow {
  key: string;
  levelId: string;
  rails: 'on' | 'off';
  committed: string;
  hidden: string;
  firstRun: string;
  attemptsPerTask: string;
  deadlocksEscalations: string;
  falseGo: string;
  /** A delivered task whose hidden tests fail with the rails on: the rails let broken work through, a harness defect. */
  falseGoDefect: boolean;
  wall: string;
  /** The wall time's split: model calls, sandboxed commands, harness. */
  split: string;
  overhead: string;
  overheadMet: boolean;
  environmentErrors: string[];
}

/** One stored run as the runs table prints it. */
export interface BenchRunRow {
  runId: string;
  startedAt: number;
  models: string;
  rails: string;
  levels: string;
  repeats: number;
  /** Hidden tests passed over total, summed over levels (medians), per rails mode the run has. */
  hidden: string;
  /** False GOs with the rails on, each level's worst repeat summed (any one is a harness defect); null without a rails-on level. */
  falseGoOn: number | null;
  /** False GOs with the rails off, medians summed over levels: what the rails stop. */
  falseGoOff: number | null;
  environmentErrors: number;
}

/** Figures `bench/compare` answers, in the table's order, with their label and how to show them. */
const COMPARED: Array<{ name: string; label: string; scale: (value: number) => number }> = [
  { name: 'committed', label: 'Tasks committed', scale: (value) => value },
  { name: 'hiddenPassed', label: 'Hidden tests passed', scale: (value) => value },
  { name: 'firstRunPassRate', label: 'First-run pass rate %', scale: (value) => value * 100 },
  { name: 'attemptsPerTask', label: 'Attempts per task', scale: (value) => value },
  { name: 'deadlocks', label: 'DEADLOCK', scale: (value) => value },
  { name: 'escalations', label: 'ESCALATE', scale: (value) => value },
  { name: 'falseGo', label: 'False GO', scale: (value) => value },
  { name: 'wallMs', label: 'Wall time s', scale: (value) => value / 1000 },
  { name: 'harnessOverheadMax', label: 'Harness overhead max %', scale: (value) => value * 100 },
];

/**
 * The Metrics view's Benchmarks section: stored `nightshift bench run` results (newest first), the run shown
 * (its levels, hidden tests passed per level with the rails on and off, false GOs), and a comparison of two runs.
 */
export class BenchState {
  page = $state<BenchRunsPage | null>(null);
  loading = $state(false);
  error = $state<ProtocolFailure | null>(null);
  /** The run whose levels are shown; null before the first load or when none is stored. */
  selectedRunId = $state<string | null>(null);
  /** The runs compared: A (from) and B (to); deltas are B minus A. */
  compareA = $state<string | null>(null);
  compareB = $state<string | null>(null);
  comparison = $state<BenchComparison | null>(null);
  comparing = $state(false);

  readonly runs = $derived<BenchRunView[]>(this.page?.runs ?? []);
  /** Loaded, and no run is stored. */
  readonly empty = $derived(this.page !== null && this.page.runs.length === 0);
  readonly selected = $derived<BenchRunView | null>(this.runs.find((run) => run.runId === this.selectedRunId) ?? null);
  readonly runRows = $derived<BenchRunRow[]>(this.runs.map(runRowOf));
  readonly levelRows = $derived<BenchLevelRow[]>(this.selected ? this.selected.figures.map((figures) => levelRowOf(figures, this.page?.harnessOverheadTarget ?? 0)) : []);
  /** The shown run's levels with false GOs under the rails. */
  readonly falseGoDefects = $derived(this.levelRows.filter((row) => row.falseGoDefect));
  readonly hiddenChart = $derived<ChartSpec | null>(this.selected ? hiddenChartOf(this.selected) : null);
  /** Per level run in both modes: what the rails add. */
  readonly uplift = $derived(this.selected ? upliftOf(this.selected) : []);
  readonly comparisonChart = $derived<ChartSpec | null>(this.comparison ? comparisonChartOf(this.comparison) : null);
  /** Levels and modes only one of the compared runs has, e.g. `L5 rails on (A only)`. */
  readonly unmatched = $derived<string[]>(this.comparison ? unmatchedOf(this.comparison) : []);

  readonly #api: NightshiftApi;
  #request = 0;
  #compareRequest = 0;

  constructor(options: {
    /** Where the data comes from. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
  }

  /** Asks the host for the stored runs; keeps the shown and compared runs while they are still there. */
  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    try {
      const page = await this.#api.invoke('bench/runs', {});
      if (request !== this.#request) return;
      this.page = page;
      const ids = page.runs.map((run) => run.runId);
      if (this.selectedRunId === null || !ids.includes(this.selectedRunId)) this.selectedRunId = ids[0] ?? null;
      // The newest two by default: what changed since the run before.
      if (this.compareA === null || !ids.includes(this.compareA)) this.compareA = ids[1] ?? ids[0] ?? null;
      if (this.compareB === null || !ids.includes(this.compareB)) this.compareB = ids[0] ?? null;
      this.error = null;
    } catch (error) {
      if (request !== this.#request) return;
      this.error = failureOf(error);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Shows a run's levels. */
  select(runId: string): void {
    this.selectedRunId = runId;
  }

  /** Sets the runs to compare; the comparison shown is dropped until `compare` runs. */
  choose(pair: { a?: string; b?: string }): void {
    if (pair.a !== undefined) this.compareA = pair.a;
    if (pair.b !== undefined) this.compareB = pair.b;
    this.comparison = null;
  }

  /** Asks the host for the two chosen runs level by level. */
  async compare(): Promise<void> {
    if (this.compareA === null || this.compareB === null) return;
    const request = ++this.#compareRequest;
    this.comparing = true;
    try {
      const comparison = await this.#api.invoke('bench/compare', { a: this.compareA, b: this.compareB });
      if (request !== this.#compareRequest) return;
      this.comparison = comparison;
      this.error = null;
    } catch (error) {
      if (request !== this.#compareRequest) return;
      this.comparison = null;
      this.error = failureOf(error);
    } finally {
      if (request === this.#compareRequest) this.comparing = false;
    }
  }

  dismissError(): void {
    this.error = null;
  }
}

function failureOf(error: unknown): ProtocolFailure {
  return NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
const percent = (part: number, whole: number): number => (whole === 0 ? 0 : round((part * 100) / whole, 1));
const asPercent = (value: number): string => `${round(value * 100, 1)}%`;

/** A figure's median, with min..max when the repeats disagree. */
function show(spread: Spread, format: (value: number) => string = (value) => String(round(value))): string {
  return spread.min === spread.max ? format(spread.median) : `${format(spread.median)} (${format(spread.min)}..${format(spread.max)})`;
}

function signed(value: number): string {
  const rounded = round(value);
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

function runRowOf(run: BenchRunView): BenchRunRow {
  const inMode = (rails: 'on' | 'off') => run.figures.filter((figures) => figures.rails === rails);
  const sum = (figures: BenchFigures[], pick: (each: BenchFigures) => number) => figures.reduce((total, each) => total + pick(each), 0);
  const hidden = run.rails.map((rails) => {
    const figures = inMode(rails);
    return `rails ${rails} ${sum(figures, (each) => each.hiddenPassed.median)}/${sum(figures, (each) => each.hiddenTotal.median)}`;
  });
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    models: run.models,
    rails: run.rails.join(' + '),
    levels: run.levels.join(', '),
    repeats: run.repeats,
    hidden: hidden.join(', '),
    falseGoOn: run.rails.includes('on') ? sum(inMode('on'), (each) => each.falseGo.max) : null,
    falseGoOff: run.rails.includes('off') ? sum(inMode('off'), (each) => each.falseGo.median) : null,
    environmentErrors: sum(run.figures, (each) => each.environmentErrors.length),
  };
}

function levelRowOf(figures: BenchFigures, target: number): BenchLevelRow {
  const duration = (ms: number) => formatMilliseconds({ ms });
  return {
    key: `${figures.levelId} ${figures.rails}`,
    levelId: figures.levelId,
    rails: figures.rails,
    committed: `${show(figures.committed)}/${figures.total}`,
    hidden: `${show(figures.hiddenPassed)}/${show(figures.hiddenTotal)}`,
    firstRun: show(figures.firstRunPassRate, asPercent),
    attemptsPerTask: show(figures.attemptsPerTask),
    deadlocksEscalations: `${show(figures.deadlocks)} / ${show(figures.escalations)}`,
    falseGo: show(figures.falseGo),
    falseGoDefect: figures.rails === 'on' && figures.falseGo.max > 0,
    wall: show(figures.wallMs, duration),
    split: `model ${duration(figures.modelMs.median)}, tests ${duration(figures.testsMs.median)}, harness ${duration(figures.harnessMs.median)}`,
    overhead: `${show(figures.harnessOverheadMax, asPercent)} (target ≤ ${asPercent(target)}: ${figures.harnessOverheadMet ? 'MET' : 'NOT MET'})`,
    overheadMet: figures.harnessOverheadMet,
    environmentErrors: figures.environmentErrors,
  };
}

function hiddenChartOf(run: BenchRunView): ChartSpec {
  const find = (levelId: string, rails: 'on' | 'off') => run.figures.find((figures) => figures.levelId === levelId && figures.rails === rails);
  const passedPercent = (figures: BenchFigures | undefined) => (figures ? percent(figures.hiddenPassed.median, figures.hiddenTotal.median) : 0);
  return {
    id: 'bench-hidden-passed',
    title: `Hidden tests passed per level: ${run.runId}`,
    caption:
      run.rails.length === 2
        ? 'Each level’s hidden acceptance tests passed on the delivered branch, rails on beside rails off: the gap is what the rails add.'
        : `Each level’s hidden acceptance tests passed on the delivered branch (rails ${run.rails[0] ?? 'on'}).`,
    kind: 'bar',
    labels: run.levels,
    series: run.rails.map((rails) => ({
      label: `Rails ${rails}`,
      values: run.levels.map((levelId) => passedPercent(find(levelId, rails))),
      tone: rails === 'on' ? 'ok' : 'muted',
    })),
    unit: '%',
    columns: ['Level', 'Rails', 'Hidden passed', 'Hidden total', 'Passed %', 'False GO'],
    rows: run.figures.map((figures) => [
      figures.levelId,
      figures.rails,
      figures.hiddenPassed.median,
      figures.hiddenTotal.median,
      passedPercent(figures),
      figures.falseGo.median,
    ]),
  };
}

function upliftOf(run: BenchRunView): Array<{ levelId: string; hiddenPassed: string; falseGoPrevented: number; committed: string }> {
  return run.levels.flatMap((levelId) => {
    const on = run.figures.find((figures) => figures.levelId === levelId && figures.rails === 'on');
    const off = run.figures.find((figures) => figures.levelId === levelId && figures.rails === 'off');
    if (!on || !off) return [];
    return [
      {
        levelId,
        hiddenPassed: signed(on.hiddenPassed.median - off.hiddenPassed.median),
        falseGoPrevented: off.falseGo.median - on.falseGo.median,
        committed: signed(on.committed.median - off.committed.median),
      },
    ];
  });
}

function comparisonChartOf(comparison: BenchComparison): ChartSpec {
  return {
    id: 'bench-compare',
    title: `Compared: ${comparison.a.runId} (A) with ${comparison.b.runId} (B)`,
    caption: 'Medians of the levels and rails modes both runs have; the change is B minus A.',
    kind: 'table',
    labels: [],
    series: [],
    unit: '',
    columns: ['Level', 'Rails', 'Figure', 'A', 'B', 'Change'],
    rows: comparison.rows.flatMap((row: BenchComparisonRow) =>
      COMPARED.flatMap(({ name, label, scale }) => {
        const pair = row.figures[name];
        if (!pair) return [];
        const [a, b] = [round(scale(pair.a)), round(scale(pair.b))];
        return [[row.levelId, row.rails, label, a, b, signed(b - a)]];
      }),
    ),
  };
}

function unmatchedOf(comparison: BenchComparison): string[] {
  const compared = new Set(comparison.rows.map((row) => `${row.levelId} ${row.rails}`));
  const only = (run: BenchRunView, side: 'A' | 'B') =>
    run.figures.filter((figures) => !compared.has(`${figures.levelId} ${figures.rails}`)).map((figures) => `${figures.levelId} rails ${figures.rails} (${side} only)`);
  return [...only(comparison.a, 'A'), ...only(comparison.b, 'B')];
}
