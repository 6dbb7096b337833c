import type { BenchFigures, Spread } from '../shared/BenchFigures.js';
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
  const lines: string[] = [`Benchmark run ${options.runId}: models ${records[0]?.models ?? '?'}`];
  for (const figures of groups) lines.push('', ...formatFigures(figures));
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

function formatFigures(figures: BenchFigures): string[] {
  const ms = (spread: Spread) => seconds(spread);
  const lines = [
    `${figures.levelId}, rails ${figures.rails}${figures.repeats > 1 ? `, ${figures.repeats} runs (median, min..max)` : ''}`,
    `  tasks committed      ${show(figures.committed)}/${figures.total}`,
    `  hidden tests passed  ${show(figures.hiddenPassed)}/${show(figures.hiddenTotal)}`,
    `  first-run pass rate  ${show(figures.firstRunPassRate, percent)}`,
    `  attempts per task    ${show(figures.attemptsPerTask, (value) => value.toFixed(2))}`,
    `  DEADLOCK / ESCALATE  ${show(figures.deadlocks)} / ${show(figures.escalations)}`,
    `  false GO             ${show(figures.falseGo)}`,
    `  failures by type     ${formatCounts(figures.failuresByType)}`,
    `  failures by rail     ${formatCounts(figures.failuresByRail)}`,
    `  wall time            ${ms(figures.wallMs)}: model ${ms(figures.modelMs)}, tests ${ms(figures.testsMs)}, harness ${ms(figures.harnessMs)}`,
    `  harness overhead     ${show(figures.harnessOverheadMax, percent)} of an attempt at most (target <= ${percent(HARNESS_OVERHEAD_TARGET)}: ${figures.harnessOverheadMet ? 'MET' : 'NOT MET'})`,
  ];
  for (const [role, tokens] of Object.entries(figures.tokens)) {
    lines.push(`  tokens ${role.padEnd(13)} ${show(tokens.promptTokens)} prompt, ${show(tokens.outputTokens)} output, ${show(tokens.tokensPerSecond, (value) => value.toFixed(1))} tokens/s`);
  }
  for (const error of figures.environmentErrors) lines.push(`  ENVIRONMENT ERROR (not a model failure): ${error}`);
  return lines;
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
