import type { BenchFigures } from '../shared/BenchFigures.js';
import { benchFigures } from './benchFigures.js';
import type { BenchRunRecord } from './createBenchRunStore.js';

/** Figures per level and rails mode (on before off), from a run's records. */
export function groupFigures(options: { records: BenchRunRecord[] }): BenchFigures[] {
  const keys = [...new Set(options.records.map((record) => `${record.levelId}\u0000${record.rails}`))];
  return keys.map((key) => benchFigures({ results: options.records.filter((record) => `${record.levelId}\u0000${record.rails}` === key).map((record) => record.result) }));
}
