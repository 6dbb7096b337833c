import type { BenchFigures, Spread } from '../shared/BenchFigures.js';
import type { BenchLevelResult } from '../shared/BenchLevelResult.js';
import { HARNESS_OVERHEAD_TARGET } from './HARNESS_OVERHEAD_TARGET.js';

/** Figures of one level and rails mode from the results of its repeats (at least one). */
export function benchFigures(options: { results: BenchLevelResult[] }): BenchFigures {
  const { results } = options;
  const first = results[0]!;
  const spread = (pick: (result: BenchLevelResult) => number): Spread => {
    const values = results.map(pick).sort((a, b) => a - b);
    const middle = Math.floor(values.length / 2);
    return {
      min: values[0]!,
      median: values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2,
      max: values.at(-1)!,
    };
  };
  const sum = (pick: (result: BenchLevelResult) => Record<string, number>): Record<string, number> => {
    const total: Record<string, number> = {};
    for (const result of results) for (const [key, value] of Object.entries(pick(result))) total[key] = (total[key] ?? 0) + value;
    return total;
  };
  const roles = [...new Set(results.flatMap((result) => Object.keys(result.tokens)))].sort();
  const token = (role: string, field: 'promptTokens' | 'outputTokens' | 'tokensPerSecond') =>
    spread((result) => (result.tokens as Record<string, Record<typeof field, number>>)[role]?.[field] ?? 0);
  return {
    levelId: first.levelId,
    rails: first.rails,
    repeats: results.length,
    total: first.total,
    committed: spread((result) => result.committed),
    hiddenPassed: spread((result) => result.hiddenPassed),
    hiddenTotal: spread((result) => result.hiddenTotal),
    firstRunPassRate: spread((result) => result.firstRunPassRate),
    attemptsPerTask: spread((result) => result.attemptsPerTask),
    deadlocks: spread((result) => result.deadlocks),
    escalations: spread((result) => result.escalations),
    falseGo: spread((result) => result.falseGo),
    wallMs: spread((result) => result.wallMs),
    modelMs: spread((result) => result.time.modelMs),
    testsMs: spread((result) => result.time.testsMs),
    harnessMs: spread((result) => result.time.harnessMs),
    harnessOverheadMax: spread((result) => result.harnessOverheadPerAttempt.max),
    harnessOverheadMet: results.every((result) => result.harnessOverheadPerAttempt.max <= HARNESS_OVERHEAD_TARGET),
    failuresByType: sum((result) => result.failuresByType),
    failuresByRail: sum((result) => result.failuresByRail),
    tokens: Object.fromEntries(roles.map((role) => [role, { promptTokens: token(role, 'promptTokens'), outputTokens: token(role, 'outputTokens'), tokensPerSecond: token(role, 'tokensPerSecond') }])),
    environmentErrors: results.flatMap((result) => (result.environmentError ? [`${result.environmentError.message} ${result.environmentError.hint}`] : [])),
  };
}
