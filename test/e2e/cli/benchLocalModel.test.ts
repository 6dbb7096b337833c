import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchRunRecord, BenchRunSummary } from '../../../src/bench/createBenchRunStore.js';
import { createTinyBenchLevel } from '../../fixtures/createTinyBenchLevel.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { bubblewrapWorks } from '../../utils/bubblewrapWorks.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { runCli } from '../../utils/runCli.js';

/** Every file under `dir` with its mode and content hash: equal snapshots mean nothing there was touched. */
function snapshotDir(dir: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const stat = lstatSync(join(dir, path));
      if (stat.isDirectory()) walk(path);
      else snapshot[path] = `${stat.mode.toString(8)}:${createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')}`;
    }
  };
  walk('');
  return snapshot;
}

describe('nightshift bench on a local GGUF', () => {
  // The model's plans would name commands, which run only inside a sandbox.
  it.skipIf(!bubblewrapWorks())(
    'runs the tiny level end to end on a random-weight model: every task refused by the schema, nothing delivered, tokens and time measured, the run stored, the level untouched',
    { timeout: 300_000 },
    () => {
      const root = makeTempDir('nightshift-bench-local-');
      const levelsDir = join(root, 'levels');
      const { dir: levelDir } = createTinyBenchLevel({ parent: levelsDir });
      const before = snapshotDir(levelDir);
      // This seed's plans wander inside a JSON string until the context is full, so every answer is cut off
      // and refused by the schema; the short context (the brain's prompt is about 3,700 tokens) bounds each
      // call to a few hundred tokens of output.
      const model = createTinyGguf({ path: join(root, 'tiny-bench.gguf'), name: 'tiny-bench', contextLength: 4608 }).path;
      const dataDir = join(root, 'data');
      const bench = (...args: string[]) =>
        runCli({
          args: ['bench', ...args, '--data-dir', dataDir],
          // One thread per context: on a machine shared with other tests, more spin-wait on each other.
          env: { NIGHTSHIFT_LLAMA_THREADS: '1' },
          timeoutMs: 240_000,
        });
      const run = (...args: string[]) => bench('run', '--models', `local:${model}`, '--levels-dir', levelsDir, '--sandbox', 'native', ...args);

      const started = Date.now();
      const exported = run('--json');
      const seconds = (Date.now() - started) / 1000;
      console.info(`bench run on tiny-bench.gguf, TINY rails on: ${seconds.toFixed(1)} s`);
      expect(exported.stderr).not.toMatch(/unexpected error/);
      // Refusals are the measurement, not an error: only an environment failure (3) or bad input (2) is.
      expect(exported.code, exported.stderr).toBe(0);
      const { runId, records } = JSON.parse(exported.stdout) as { runId: string; records: BenchRunRecord[] };
      expect(records).toHaveLength(1);
      const result = records[0]!.result;
      expect(result).toMatchObject({ levelId: 'TINY', rails: 'on', committed: 0, total: 2, hiddenPassed: 0, falseGo: 0, firstRunPassRate: 0, environmentError: null });
      expect(result.models).toEqual({
        brain: { model: 'tiny-bench', backend: 'llama.cpp' },
        coder: { model: 'tiny-bench', backend: 'llama.cpp' },
        qa: { model: 'tiny-bench', backend: 'llama.cpp' },
      });
      for (const task of result.tasks) {
        // Every attempt's output was cut off mid-string: invalid output, a patch failure, before any rail ran.
        expect(task, `${task.taskId} was refused by ${task.refusedBy}`).toMatchObject({ delivered: false, hidden: null, falseGo: false, refusedBy: 'patch', attempts: 2, failureTypes: ['patch', 'patch'] });
        expect(['escalated', 'deadlocked']).toContain(task.status);
      }
      expect(result.failuresByType).toEqual({ patch: 4 });
      expect(result.failuresByRail).toEqual({});
      // Nothing was delivered: the hidden tests ran on the starting code, where neither task's module exists.
      expect(result.hiddenTotal).toBeGreaterThan(0);
      // Only the brain was called (no plan survived); the tokens it spent on refused answers are counted.
      expect(Object.keys(result.tokens)).toEqual(['brain']);
      expect(result.tokens.brain!.promptTokens).toBeGreaterThan(1000);
      expect(result.tokens.brain!.outputTokens).toBeGreaterThan(0);
      expect(result.tokens.brain!.tokensPerSecond).toBeGreaterThan(0);
      expect(result.time.modelMs).toBeGreaterThan(0);
      expect(result.time.modelMs + result.time.testsMs + result.time.harnessMs).toBeCloseTo(result.wallMs, -1);
      expect(result.setupMs).toBeGreaterThan(0);
      expect(result.setupMs).toBeLessThanOrEqual(result.time.harnessMs);

      const report = run();
      expect(report.code, report.stderr).toBe(0);
      expect(report.stdout).toMatch(/^Benchmark run bench-\S+: models local:\S+tiny-bench\.gguf \(brain, coder, qa: tiny-bench on llama\.cpp\)/);
      expect(report.stdout).toMatch(/TINY, rails on\n\s+tasks committed\s+0\/2\n\s+refused\s+T1 by patch; T2 by patch\n/);
      expect(report.stdout).toMatch(/hidden tests passed\s+0\/\d+ \(nothing delivered: they ran on the starting code/);
      expect(report.stdout).toMatch(/false GO\s+0\n/);
      expect(report.stdout).toMatch(/failures by type\s+patch 4\n/);
      expect(report.stdout).toMatch(/wall time\s+[\d.]+s: model [1-9][\d.]*s, tests [\d.]+s, harness [\d.]+s \([\d.]+s of it before the first task: preflight model probes, model start and load\)/);
      expect(report.stdout).toMatch(/tokens brain\s+[1-9]\d* prompt, [1-9]\d* output, [\d.]+ tokens\/s/);
      expect(report.stdout).not.toMatch(/tokens (coder|qa)/);
      const reportId = /Stored as (bench-\S+):/.exec(report.stdout)?.[1];

      const list = bench('list', '--json');
      expect(list.code).toBe(0);
      const runs = JSON.parse(list.stdout) as BenchRunSummary[];
      expect(runs.map((stored) => stored.runId)).toEqual([reportId, runId]);
      expect(runs[1]).toMatchObject({ models: `local:${model}`, levels: ['TINY'], rails: ['on'], repeats: 1 });
      expect(bench('compare', runId, reportId!).stdout).toMatch(/TINY, rails on\n\s+committed\s+0 -> 0/);

      expect(snapshotDir(levelDir)).toEqual(before);
    },
  );
});
