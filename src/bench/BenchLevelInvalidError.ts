import { NightshiftError } from '../shared/NightshiftError.js';

/** A benchmark level folder that cannot be used: missing files, a level.json the schema refuses, a bad backlog. */
export class BenchLevelInvalidError extends NightshiftError {
  constructor(options: { dir: string; problem: string; cause?: unknown }) {
    super({
      code: 'BENCH_LEVEL_INVALID',
      message: `The benchmark level at ${options.dir} is not usable: ${options.problem}`,
      hint: 'A level folder holds level.json, repo/, TASKS.md, hidden/<taskId>/ and answers/ (see resources/bench/README.md).',
      context: { dir: options.dir, problem: options.problem },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}
