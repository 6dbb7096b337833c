import { NightshiftError } from '../shared/NightshiftError.js';

/** `bench/compare` named a benchmark run the database does not hold. */
export class BenchRunNotFoundError extends NightshiftError {
  constructor(options: {
    /** The run ids asked for that are not stored, in the order asked. */
    missing: string[];
  }) {
    super({
      code: 'BENCH_RUN_NOT_FOUND',
      message: `No stored benchmark run ${options.missing.join(' or ')} in the Nightshift database.`,
      hint: 'Pick runs from the Benchmarks list (or nightshift bench list); runs of another data directory (NIGHTSHIFT_HOME) are not here.',
      context: { missing: options.missing },
    });
  }
}
