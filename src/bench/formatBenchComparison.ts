import type { BenchComparisonRow } from '../shared/BenchComparisonRow.js';

/** `nightshift bench compare A B` as text. */
export function formatBenchComparison(options: { runA: string; runB: string; rows: BenchComparisonRow[] }): string {
  const lines = [`Comparing ${options.runA} (A) with ${options.runB} (B), medians:`];
  if (options.rows.length === 0) lines.push('  no level ran in the same rails mode in both runs');
  for (const row of options.rows) {
    lines.push(`${row.levelId}, rails ${row.rails}`);
    for (const [name, { a, b }] of Object.entries(row.figures)) {
      const delta = Math.round((b - a) * 1000) / 1000;
      lines.push(`  ${name.padEnd(20)} ${round(a)} -> ${round(b)}${delta === 0 ? '' : ` (${delta > 0 ? '+' : ''}${delta})`}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
