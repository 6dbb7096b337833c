import { NightshiftError } from '../../shared/NightshiftError.js';
import type { MetricsSummary, ProtocolFailure } from '../../shared/protocol.js';
import type { NightshiftApi } from '../api/NightshiftApi.js';
import { formatDay } from '../format/formatDay.js';
import { BenchState } from './BenchState.svelte.js';
import type { ChartSpec } from './ChartSpec.js';

const DAY_MS = 86_400_000;

/**
 * The Metrics view: the scope (every project or one, a date range), the host's summary for it, and the
 * charts and tables drawn from that summary. A load checks on arrival that the scope is still the one it
 * asked about, so a slow answer never replaces a newer one.
 */
export class MetricsState {
  /** Only this project's sessions; null: every project. */
  projectPath = $state<string | null>(null);
  /** First and last day shown, `YYYY-MM-DD` (local), as date inputs give them; empty: unbounded. */
  fromDay = $state('');
  toDay = $state('');
  summary = $state<MetricsSummary | null>(null);
  loading = $state(false);
  error = $state<ProtocolFailure | null>(null);

  /** Every chart, in the order the view shows them. */
  readonly charts = $derived<ChartSpec[]>(this.summary ? chartsOf(this.summary) : []);

  /** Totals over the scope's nights, for the view's header. */
  readonly totals = $derived.by(() => {
    const nights = this.summary?.nights ?? [];
    const sum = (pick: (night: MetricsSummary['nights'][number]) => number) => nights.reduce((total, night) => total + pick(night), 0);
    const committed = sum((night) => night.committed);
    const finished = committed + sum((night) => night.refused);
    return {
      nights: nights.length,
      committed,
      refused: sum((night) => night.refused),
      firstAttemptRate: finished === 0 ? null : percent(sum((night) => night.committedFirstAttempt), finished),
      attemptsPerTask: finished === 0 ? null : Math.round((sum((night) => night.attempts) / finished) * 100) / 100,
    };
  });

  /** The view's Benchmarks section: stored `nightshift bench run` results, loaded by the section when it is shown. */
  readonly bench: BenchState;

  readonly #api: NightshiftApi;
  #request = 0;
  /** The shown summary as JSON, to tell an unchanged answer from a new one. */
  #shown = '';

  constructor(options: {
    /** Where the data comes from. */
    api: NightshiftApi;
  }) {
    this.#api = options.api;
    this.bench = new BenchState({ api: options.api });
  }

  /** Asks the host for the summary of the current scope. */
  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    try {
      const from = this.fromDay === '' ? undefined : dayStart(this.fromDay);
      const to = this.toDay === '' ? undefined : dayStart(this.toDay) + DAY_MS;
      const summary = await this.#api.invoke('metrics/summary', {
        ...(this.projectPath === null ? {} : { projectPath: this.projectPath }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      });
      if (request !== this.#request) return;
      // The view asks again each time it is shown; an unchanged answer keeps the charts drawn as they are
      // instead of drawing all of them again.
      const json = JSON.stringify(summary);
      if (json !== this.#shown) {
        this.summary = summary;
        this.#shown = json;
      }
      this.error = null;
    } catch (error) {
      if (request !== this.#request) return;
      this.error = NightshiftError.toData({ error, fallback: { code: 'UNEXPECTED', hint: 'Try again; if it keeps failing, restart the app.' } });
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Narrows to one project (null: every project) and loads. */
  async showProject(projectPath: string | null): Promise<void> {
    this.projectPath = projectPath;
    await this.load();
  }

  /** Sets the date range (`YYYY-MM-DD`, empty for unbounded) and loads. */
  async showDays(range: { fromDay: string; toDay: string }): Promise<void> {
    this.fromDay = range.fromDay;
    this.toDay = range.toDay;
    await this.load();
  }

  dismissError(): void {
    this.error = null;
  }
}

/** Local midnight of a `YYYY-MM-DD` day, epoch milliseconds. */
function dayStart(day: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date).getTime();
}

function percent(part: number, whole: number): number {
  return Math.round((part * 1000) / whole) / 10;
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

function chartsOf(summary: MetricsSummary): ChartSpec[] {
  const { nights } = summary;
  const nightLabels = nights.map((night) => formatDay({ at: night.startedAt }));
  const nightColumns = ['Night', 'Session', 'Project'];
  const nightCells = (night: MetricsSummary['nights'][number], index: number) => [nightLabels[index]!, night.sessionId, night.projectPath];
  const finished = (night: MetricsSummary['nights'][number]) => night.committed + night.refused;
  const tokenLabels = summary.tokens.map((row) => `${row.role}: ${row.model}`);
  return [
    {
      id: 'committed-vs-refused',
      title: 'Committed vs refused per night',
      caption: 'Task runs by how they ended; refused: failed, deadlocked or escalated.',
      kind: 'bar',
      stacked: true,
      labels: nightLabels,
      series: [
        { label: 'Committed', values: nights.map((night) => night.committed), tone: 'ok' },
        { label: 'Refused', values: nights.map((night) => night.refused), tone: 'err' },
        { label: 'Skipped', values: nights.map((night) => night.skipped), tone: 'muted' },
      ],
      unit: 'tasks',
      columns: [...nightColumns, 'Committed', 'Refused', 'Skipped'],
      rows: nights.map((night, index) => [...nightCells(night, index), night.committed, night.refused, night.skipped]),
    },
    {
      id: 'first-attempt-rate',
      title: 'First-run pass rate',
      caption: 'Finished task runs committed on their first attempt, per night.',
      kind: 'line',
      labels: nightLabels,
      series: [{ label: 'Committed on attempt 1', values: nights.map((night) => (finished(night) === 0 ? 0 : percent(night.committedFirstAttempt, finished(night)))), tone: 'run' }],
      unit: '%',
      columns: [...nightColumns, 'Committed on attempt 1', 'Finished', 'Rate %'],
      rows: nights.map((night, index) => [
        ...nightCells(night, index),
        night.committedFirstAttempt,
        finished(night),
        finished(night) === 0 ? 0 : percent(night.committedFirstAttempt, finished(night)),
      ]),
    },
    {
      id: 'attempts-per-task',
      title: 'Attempts per task',
      caption: 'Finished task runs by the attempts they took.',
      kind: 'bar',
      labels: summary.attemptsPerTask.map((row) => String(row.attempts)),
      series: [{ label: 'Task runs', values: summary.attemptsPerTask.map((row) => row.tasks), tone: 'run' }],
      unit: 'tasks',
      columns: ['Attempts', 'Task runs'],
      rows: summary.attemptsPerTask.map((row) => [row.attempts, row.tasks]),
    },
    {
      id: 'deadlock-escalate',
      title: 'DEADLOCK and ESCALATE per night',
      caption: 'Task runs that stopped on a repeated failure (DEADLOCK) or were handed to a person (ESCALATE).',
      kind: 'bar',
      labels: nightLabels,
      series: [
        { label: 'DEADLOCK', values: nights.map((night) => night.deadlocked), tone: 'warn' },
        { label: 'ESCALATE', values: nights.map((night) => night.escalated), tone: 'esc' },
      ],
      unit: 'tasks',
      columns: [...nightColumns, 'DEADLOCK', 'ESCALATE'],
      rows: nights.map((night, index) => [...nightCells(night, index), night.deadlocked, night.escalated]),
    },
    {
      id: 'failures-by-type',
      title: 'Failures by type',
      caption: 'Failures recorded across all attempts.',
      kind: 'bar',
      labels: summary.failuresByType.map((row) => row.type),
      series: [{ label: 'Failures', values: summary.failuresByType.map((row) => row.count), tone: 'err' }],
      unit: 'failures',
      columns: ['Failure type', 'Failures'],
      rows: summary.failuresByType.map((row) => [row.type, row.count]),
    },
    {
      id: 'refusals-by-rail',
      title: 'Refusals by rail',
      caption: 'Attempts each rail refused (failed, not skipped); the first bar refuses most.',
      kind: 'bar',
      labels: summary.refusalsByRail.map((row) => row.rail),
      series: [{ label: 'Refusals', values: summary.refusalsByRail.map((row) => row.count), tone: 'err' }],
      unit: 'attempts',
      columns: ['Rail', 'Refusals'],
      rows: summary.refusalsByRail.map((row) => [row.rail, row.count]),
    },
    {
      id: 'tokens',
      title: 'Tokens per role and model',
      caption: 'Prompt and output tokens of every model call.',
      kind: 'bar',
      stacked: true,
      labels: tokenLabels,
      series: [
        { label: 'Prompt tokens', values: summary.tokens.map((row) => row.promptTokens), tone: 'muted' },
        { label: 'Output tokens', values: summary.tokens.map((row) => row.outputTokens), tone: 'run' },
      ],
      unit: 'tokens',
      columns: ['Role', 'Model', 'Calls', 'Prompt tokens', 'Output tokens', 'Call time s', 'Tokens/s'],
      rows: summary.tokens.map((row) => [row.role, row.model, row.calls, row.promptTokens, row.outputTokens, seconds(row.durationMs), row.tokensPerSecond]),
    },
    {
      id: 'tokens-per-second',
      title: 'Tokens per second',
      caption: 'Output tokens over the time of the calls that succeeded.',
      kind: 'bar',
      labels: tokenLabels,
      series: [{ label: 'Tokens/s', values: summary.tokens.map((row) => row.tokensPerSecond), tone: 'ok' }],
      unit: 'tokens/s',
      columns: ['Role', 'Model', 'Tokens/s'],
      rows: summary.tokens.map((row) => [row.role, row.model, row.tokensPerSecond]),
    },
    {
      id: 'phase-time',
      title: 'Wall time per phase',
      caption: 'Where each phase’s time went: model calls, sandboxed commands (tests, lint) and the harness.',
      kind: 'bar',
      stacked: true,
      labels: summary.phases.map((row) => row.phase),
      series: [
        { label: 'Model', values: summary.phases.map((row) => seconds(row.modelMs)), tone: 'run' },
        { label: 'Tests and commands', values: summary.phases.map((row) => seconds(row.commandMs)), tone: 'warn' },
        { label: 'Harness', values: summary.phases.map((row) => seconds(row.harnessMs)), tone: 'muted' },
      ],
      unit: 's',
      columns: ['Phase', 'Runs', 'Wall s', 'Model s', 'Commands s', 'Harness s'],
      rows: summary.phases.map((row) => [row.phase, row.runs, seconds(row.wallMs), seconds(row.modelMs), seconds(row.commandMs), seconds(row.harnessMs)]),
    },
    {
      id: 'repeated-fingerprints',
      title: 'Fingerprints that repeat across tasks',
      caption: 'The same failure in more than one task run: candidates for a deterministic correction.',
      kind: 'table',
      labels: [],
      series: [],
      unit: 'task runs',
      columns: ['Fingerprint', 'Type', 'Task runs', 'Occurrences', 'Latest message'],
      rows: summary.repeatedFingerprints.map((row) => [row.fingerprint, row.type, row.tasks, row.occurrences, row.message]),
    },
  ];
}
