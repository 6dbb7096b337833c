import type { BenchComparisonRow } from '../shared/BenchComparisonRow.js';
import type { BenchFigures } from '../shared/BenchFigures.js';
import type { BenchRunRecord } from './createBenchRunStore.js';
import { groupFigures } from './groupFigures.js';

const COMPARED: Array<[string, (figures: BenchFigures) => number]> = [
  ['committed', (figures) => figures.committed.median],
  ['hiddenPassed', (figures) => figures.hiddenPassed.median],
  ['firstRunPassRate', (figures) => figures.firstRunPassRate.median],
  ['attemptsPerTask', (figures) => figures.attemptsPerTask.median],
  ['deadlocks', (figures) => figures.deadlocks.median],
  ['escalations', (figures) => figures.escalations.median],
  ['falseGo', (figures) => figures.falseGo.median],
  ['wallMs', (figures) => figures.wallMs.median],
  ['harnessOverheadMax', (figures) => figures.harnessOverheadMax.median],
];

/** The medians of two stored runs side by side, for the levels and rails modes both ran. */
export function compareBenchRuns(options: { a: BenchRunRecord[]; b: BenchRunRecord[] }): BenchComparisonRow[] {
  const a = groupFigures({ records: options.a });
  const b = groupFigures({ records: options.b });
  return a.flatMap((left) => {
    const right = b.find((figures) => figures.levelId === left.levelId && figures.rails === left.rails);
    if (!right) return [];
    return [{ levelId: left.levelId, rails: left.rails, figures: Object.fromEntries(COMPARED.map(([name, pick]) => [name, { a: pick(left), b: pick(right) }])) }];
  });
}
