import type { BenchFigures, Spread } from '../shared/BenchFigures.js';
import type { BenchLevelResult } from '../shared/BenchLevelResult.js';
import { groupFigures } from './groupFigures.js';
import { HARNESS_OVERHEAD_TARGET } from './HARNESS_OVERHEAD_TARGET.js';
import type { BenchRunRecord } from './createBenchRunStore.js';

/**
 * The text report of one stored run: per level and rails mode every figure (median with min..max under
 * `--repeat`), the harness-overhead target, and with both modes the uplift the rails give.
 */
export function formatBenchReport(options: { runId: string; records: BenchRunRecord[] }): string {
  const { records } = options;
  const groups = groupFigures({ records });
  const lines: string[] = [`Benchmark run ${options.runId}: models ${records[0]?.models ?? '?'}${formatModels(records)}`];
  for (const figures of groups) {
    const results = records.filter((record) => record.levelId === figures.levelId && record.rails === figures.rails).map((record) => record.result);
    lines.push('', ...formatFigures(figures, results));
  }
  for (const levelId of [...new Set(groups.map((figures) => figures.levelId))]) {
    const on = groups.find((figures) => figures.levelId === levelId && figures.rails === 'on');
    const off = groups.find((figures) => figures.levelId === levelId && figures.rails === 'off');
    if (!on || !off) continue;
    lines.push(
      '',
      `${levelId} uplift (rails on vs off): hidden tests passed ${signed(on.hiddenPassed.median - off.hiddenPassed.median)}, ` +
        `false GOs prevented ${off.falseGo.median - on.falseGo.median}, tasks committed ${signed(on.committed.median - off.committed.median)}`,
    );
  }
  lines.push('', `Stored as ${options.runId}: nightshift bench compare ${options.runId} <other>; --json exports it.`);
  return `${lines.join('\n')}\n`;
}

function formatFigures(figures: BenchFigures, results: BenchLevelResult[]): string[] {
  const ms = (spread: Spread) => seconds(spread);
  const setups = results.flatMap((result) => (result.setupMs === undefined ? [] : [result.setupMs]));
  // Before the first task, the harness figure is mostly the models starting: said, so it is not read as the loop's cost.
  const setup = setups.length === results.length ? ` (${ms(spreadOf(setups))} of it before the first task: preflight model probes, model start and load)` : '';
  // Undelivered tasks' hidden tests run on the starting code; without this, 0/N reads as if the model's code ran.
  const nothingDelivered = figures.committed.max === 0 ? ' (nothing delivered: they ran on the starting code)' : '';
  const lines = [
    `${figures.levelId}, rails ${figures.rails}${figures.repeats > 1 ? `, ${figures.repeats} runs (median, min..max)` : ''}`,
    `  tasks committed      ${show(figures.committed)}/${figures.total}`,
    `  refused              ${formatRefusals(results)}`,
    `  hidden tests passed  ${show(figures.hiddenPassed)}/${show(figures.hiddenTotal)}${nothingDelivered}`,
    `  first-run pass rate  ${show(figures.firstRunPassRate, percent)}`,
    `  attempts per task    ${show(figures.attemptsPerTask, (value) => value.toFixed(2))}`,
    `  DEADLOCK / ESCALATE  ${show(figures.deadlocks)} / ${show(figures.escalations)}`,
    `  false GO             ${show(figures.falseGo)}`,
    `  failures by type     ${formatCounts(figures.failuresByType)}`,
    `  failures by rail     ${formatCounts(figures.failuresByRail)}`,
    `  wall time            ${ms(figures.wallMs)}: model ${ms(figures.modelMs)}, tests ${ms(figures.testsMs)}, harness ${ms(figures.harnessMs)}${setup}`,
    `  harness overhead     ${show(figures.harnessOverheadMax, percent)} of an attempt at most (target <= ${percent(HARNESS_OVERHEAD_TARGET)}: ${figures.harnessOverheadMet ? 'MET' : 'NOT MET'})`,
  ];
  for (const [role, tokens] of Object.entries(figures.tokens)) {
    lines.push(`  tokens ${role.padEnd(13)} ${show(tokens.promptTokens)} prompt, ${show(tokens.outputTokens)} output, ${show(tokens.tokensPerSecond, (value) => value.toFixed(1))} tokens/s`);
  }
  for (const error of figures.environmentErrors) lines.push(`  ENVIRONMENT ERROR (not a model failure): ${error}`);
  return lines;
}

/** The models the sessions recorded per role, e.g. ` (brain, coder, qa: tiny on llama.cpp)`; empty when none was recorded. */
function formatModels(records: BenchRunRecord[]): string {
  const roles = new Map<string, string[]>();
  for (const record of records) {
    for (const [role, described] of Object.entries(record.result.models ?? {})) {
      const name = `${described.model} on ${described.backend}`;
      const named = roles.get(name) ?? [];
      if (!named.includes(role)) named.push(role);
      roles.set(name, named);
    }
  }
  return roles.size === 0 ? '' : ` (${[...roles].map(([name, named]) => `${named.join(', ')}: ${name}`).join('; ')})`;
}

/** Each task not delivered, with what refused it: `T1 by scope`, `T2 skipped: dependency T1 ended deadlocked` (under repeats, `T1 by scope 2, by bite 1`). */
function formatRefusals(results: BenchLevelResult[]): string {
  const byTask = new Map<string, Map<string, number>>();
  for (const result of results) {
    for (const task of result.tasks) {
      if (task.delivered) continue;
      const counts = byTask.get(task.taskId) ?? new Map<string, number>();
      const reason = task.refusedBy ?? task.status;
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
      byTask.set(task.taskId, counts);
    }
  }
  if (byTask.size === 0) return 'none';
  return [...byTask]
    .map(([taskId, counts]) => `${taskId} ${[...counts].map(([reason, count]) => `${reason.startsWith('skipped') ? '' : 'by '}${reason}${results.length > 1 ? ` ${count}` : ''}`).join(', ')}`)
    .join('; ');
}

function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return { min: sorted[0]!, median: sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2, max: sorted.at(-1)! };
}

function show(spread: Spread, format: (value: number) => string = (value) => String(Math.round(value * 100) / 100)): string {
  return spread.min === spread.max ? format(spread.median) : `${format(spread.median)} (${format(spread.min)}..${format(spread.max)})`;
}

function seconds(spread: Spread): string {
  return show(spread, (value) => `${(value / 1000).toFixed(1)}s`);
}

function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none' : entries.map(([name, count]) => `${name} ${count}`).join(', ');
}
