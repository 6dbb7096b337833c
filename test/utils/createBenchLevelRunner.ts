import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchLevel } from '../../src/bench/loadBenchLevel.js';
import type { LoadedBenchLevel } from '../../src/bench/LoadedBenchLevel.js';
import { runBenchLevel } from '../../src/bench/runBenchLevel.js';
import type { BenchLevelResult } from '../../src/shared/BenchLevelResult.js';

export interface BenchLevelRunner {
  /** Runs the level (or a copy of it at `levelDir`) with one of its scripted answer sets, in a fresh temp root. */
  run(options: { answers: 'oracle' | 'bad'; rails: 'on' | 'off'; levelDir?: string }): Promise<BenchLevelResult>;
  /** A temp folder named after the level and `purpose`, removed by dispose. */
  tempDir(purpose: string): Promise<string>;
  /** Removes every temp root the runs made. */
  dispose(): Promise<void>;
}

/** The level tests' one way to run a shipped level through `runBenchLevel` with its own answers. */
export function createBenchLevelRunner(options: {
  level: LoadedBenchLevel;
  /** The sandbox every run uses. */
  sandbox: 'docker' | 'native';
}): BenchLevelRunner {
  const roots: string[] = [];
  const tempDir = async (purpose: string): Promise<string> => {
    const root = await mkdtemp(join(tmpdir(), `bench-${options.level.level.id}-${purpose}-`));
    roots.push(root);
    return root;
  };
  return {
    tempDir,
    async run({ answers, rails, levelDir }) {
      const root = await tempDir(`${answers}-${rails}`);
      return runBenchLevel({
        level: levelDir ? await loadBenchLevel({ dir: levelDir }) : options.level,
        models: `scripted:${join(options.level.dir, 'answers', `${answers}.json`)}`,
        rails,
        dataDir: join(root, 'data'),
        workDir: join(root, 'work'),
        sandbox: options.sandbox,
      });
    },
    async dispose() {
      await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
    },
  };
}
