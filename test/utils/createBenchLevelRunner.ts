import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadBenchLevel } from '../../src/bench/loadBenchLevel.js';
import type { LoadedBenchLevel } from '../../src/bench/LoadedBenchLevel.js';
import { runBenchLevel } from '../../src/bench/runBenchLevel.js';
import { applyEdits } from '../../src/engine/workspace/applyEdits.js';
import type { ScriptedScript } from '../../src/runtime/scripted/scriptedScriptSchema.js';
import type { BenchLevelResult } from '../../src/shared/BenchLevelResult.js';
import type { FileEdit } from '../../src/shared/fileEditSchema.js';
import { writeBadThenOracleAnswers } from './writeBadThenOracleAnswers.js';

const run = promisify(execFile);

/** `bad-then-oracle`: each task's attempt 1 from bad.json, its retries from oracle.json (writeBadThenOracleAnswers). */
export type BenchAnswerSet = 'oracle' | 'bad' | 'bad-then-oracle';

export interface BenchLevelRunner {
  /** Runs the level (or a copy of it at `levelDir`) with one of its scripted answer sets, in a fresh temp root. */
  run(options: { answers: BenchAnswerSet; rails: 'on' | 'off'; levelDir?: string }): Promise<BenchLevelResult>;
  /**
   * Every path the level's bad or oracle answers edit whose content on a run's delivered branch differs from
   * the oracle's answers applied in backlog order (empty: nothing but the oracle's work was delivered).
   */
  differencesFromOracle(result: BenchLevelResult): Promise<string[]>;
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
  const { level } = options;
  const answersDir = join(level.dir, 'answers');
  const roots: string[] = [];
  const projectDirs = new WeakMap<BenchLevelResult, string>();
  const tempDir = async (purpose: string): Promise<string> => {
    const root = await mkdtemp(join(tmpdir(), `bench-${level.level.id}-${purpose}-`));
    roots.push(root);
    return root;
  };
  const readScript = async (name: string) => JSON.parse(await readFile(join(answersDir, `${name}.json`), 'utf8')) as ScriptedScript;
  return {
    tempDir,
    async run({ answers, rails, levelDir }) {
      const root = await tempDir(`${answers}-${rails}`);
      const scriptPath = join(root, 'answers.json');
      if (answers === 'bad-then-oracle') await writeBadThenOracleAnswers({ answersDir, path: scriptPath });
      const result = await runBenchLevel({
        level: levelDir ? await loadBenchLevel({ dir: levelDir }) : level,
        models: `scripted:${answers === 'bad-then-oracle' ? scriptPath : join(answersDir, `${answers}.json`)}`,
        rails,
        dataDir: join(root, 'data'),
        workDir: join(root, 'work'),
        sandbox: options.sandbox,
      });
      projectDirs.set(result, join(root, 'work', 'repo'));
      return result;
    },
    async differencesFromOracle(result) {
      const projectDir = projectDirs.get(result);
      if (!projectDir || result.sessionId === null) throw new Error('differencesFromOracle needs a result of this runner with a session');
      const oracle = await readScript('oracle');
      const bad = await readScript('bad');
      const expectedDir = await tempDir('oracle-applied');
      await cp(join(level.dir, 'repo'), expectedDir, { recursive: true });
      for (const task of level.tasks) {
        for (const phase of ['red', 'green'] as const) {
          const answer = oracle.tasks[task.id]?.[phase]?.[0];
          if (answer) await applyEdits({ root: expectedDir, edits: editsOf(answer) });
        }
      }
      const paths = new Set<string>();
      for (const script of [oracle, bad]) {
        for (const answers of Object.values(script.tasks)) {
          for (const answer of [...(answers.red ?? []), ...(answers.green ?? [])]) for (const edit of editsOf(answer)) paths.add(edit.path);
        }
      }
      const differences: string[] = [];
      for (const path of [...paths].sort()) {
        const expected = await readFile(join(expectedDir, path), 'utf8').catch(() => null);
        const delivered = await run('git', ['show', `nightshift/${result.sessionId}:${path}`], { cwd: projectDir, maxBuffer: 64 * 1024 * 1024 }).then(
          (shown) => shown.stdout,
          () => null,
        );
        if (delivered !== expected) differences.push(path);
      }
      return differences;
    },
    async dispose() {
      await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
    },
  };
}

function editsOf(answer: unknown): FileEdit[] {
  const edits = (answer as { edits?: unknown }).edits;
  return Array.isArray(edits) ? (edits as FileEdit[]) : [];
}
