import { Option, type Command } from 'commander';
import { CliUsageError } from '../CliUsageError.js';
import { parsePositiveInt } from '../parsePositiveInt.js';

/** Exit code when a level's environment, not its model, stopped it (as `nightshift run`'s blocked night). */
const ENVIRONMENT_NOT_READY = 3;

/** `nightshift bench`: the autonomy benchmark (`run`), its stored runs (`list`) and their comparison (`compare`). */
export function registerBenchCommand(program: Command): void {
  const group = program.command('bench').description('measure what a model setup delivers on the benchmark levels, with and without the rails');

  group
    .command('run')
    .description('run benchmark levels as sessions in throwaway copies, then their hidden tests; report, store and print the run id')
    .option('--levels <ids>', 'comma-separated level ids, or "all" to include slow levels (default: every level not marked slow)')
    .option('--levels-dir <dir>', 'folder of level folders (default: the bundled resources/bench)')
    .option('--models <spec>', 'model backend: local, local:FILE.gguf, openai:URL#MODEL, scripted:FILE ("{level}" becomes the level folder)', 'local')
    .addOption(new Option('--rails <mode>', 'on: every rail; off: only a passing suite gates a commit; both: each, and the uplift').choices(['on', 'off', 'both']).default('on'))
    .option('--repeat <n>', 'run each level N times and report min/median/max', (value) => parsePositiveInt({ value, flag: '--repeat' }), 1)
    .addOption(new Option('--sandbox <kind>', 'where commands run (default: each level\'s nightshift.json, else auto)').choices(['auto', 'docker', 'native', 'local']))
    .option('--allow-unsandboxed', 'allow running commands loose on this machine when no sandbox is available')
    .option('--json', 'print the stored run as JSON instead of the report')
    .option('--data-dir <dir>', 'where Nightshift keeps its database, workspaces and reports')
    .action(async (flags: BenchRunFlags) => {
      const { mkdtemp, rm } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { join, resolve } = await import('node:path');
      const { listBenchLevels } = await import('../../bench/listBenchLevels.js');
      const { runBenchLevel } = await import('../../bench/runBenchLevel.js');
      const { formatBenchReport } = await import('../../bench/formatBenchReport.js');
      const { createSessionId } = await import('../../engine/loop/createSessionId.js');
      const { resolveDataDir } = await import('../../engine/store/resolveDataDir.js');
      const { openDataDir } = await import('../../engine/store/openDataDir.js');
      const { createBenchRunStore } = await import('../../bench/createBenchRunStore.js');
      const cwd = process.cwd();
      const available = await listBenchLevels(flags.levelsDir ? { root: resolve(cwd, flags.levelsDir) } : {}).catch((error: unknown) => {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
          throw new CliUsageError({ message: `There is no levels folder at ${flags.levelsDir ?? 'resources/bench'}.`, hint: 'Give --levels-dir a folder of level folders (each with a level.json).' });
        }
        throw error;
      });
      const levels = pickLevels({ available, wanted: flags.levels });
      const dataDir = openDataDir({ dir: resolveDataDir(flags.dataDir ? { explicit: flags.dataDir } : {}) });
      const store = createBenchRunStore({ dbPath: dataDir.dbPath });
      const startedAt = Date.now();
      const runId = `bench-${createSessionId({ now: startedAt })}`;
      const modes: Array<'on' | 'off'> = flags.rails === 'both' ? ['on', 'off'] : [flags.rails];
      let environmentErrors = 0;
      try {
        for (const level of levels) {
          for (const rails of modes) {
            for (let repeatIndex = 0; repeatIndex < flags.repeat; repeatIndex += 1) {
              process.stderr.write(`bench: ${level.level.id}, rails ${rails}${flags.repeat > 1 ? `, run ${repeatIndex + 1}/${flags.repeat}` : ''}...\n`);
              const workDir = await mkdtemp(join(tmpdir(), `nightshift-bench-${level.level.id}-`));
              const models = flags.models.replaceAll('{level}', level.dir);
              try {
                const result = await runBenchLevel({
                  level,
                  models,
                  rails,
                  dataDir: dataDir.dir,
                  workDir,
                  ...(flags.sandbox ? { sandbox: flags.sandbox } : {}),
                  ...(flags.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
                });
                if (result.environmentError) environmentErrors += 1;
                store.save({ runId, startedAt, models, rails, levelId: level.level.id, repeatIndex, result });
                process.stderr.write(`bench: ${level.level.id}, rails ${rails}: ${result.committed}/${result.total} committed, hidden ${result.hiddenPassed}/${result.hiddenTotal}\n`);
              } finally {
                await rm(workDir, { recursive: true, force: true });
              }
            }
          }
        }
        const records = store.getRun(runId);
        process.stdout.write(flags.json ? `${JSON.stringify({ runId, startedAt, models: flags.models, records }, null, 2)}\n` : formatBenchReport({ runId, records }));
        process.stderr.write(`bench: stored as ${runId}\n`);
        if (environmentErrors > 0) process.exitCode = ENVIRONMENT_NOT_READY;
      } finally {
        store.dispose();
      }
    });

  group
    .command('list')
    .description('list the stored benchmark runs, newest first')
    .option('--json', 'print them as JSON')
    .option('--data-dir <dir>', 'where Nightshift keeps its database')
    .action(async (flags: { json?: boolean; dataDir?: string }) => {
      const store = await openBenchStore(flags.dataDir);
      try {
        const runs = store.listRuns();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
          return;
        }
        if (runs.length === 0) process.stdout.write('No benchmark run is stored yet: nightshift bench run\n');
        for (const run of runs) {
          process.stdout.write(`${run.runId}  ${new Date(run.startedAt).toISOString()}  ${run.models}  levels ${run.levels.join(',')}  rails ${run.rails.join('+')}  x${run.repeats}\n`);
        }
      } finally {
        store.dispose();
      }
    });

  group
    .command('compare')
    .description('compare two stored benchmark runs level by level (medians)')
    .argument('<a>', 'a run id from nightshift bench list')
    .argument('<b>', 'another run id')
    .option('--json', 'print the comparison as JSON')
    .option('--data-dir <dir>', 'where Nightshift keeps its database')
    .action(async (a: string, b: string, flags: { json?: boolean; dataDir?: string }) => {
      const { compareBenchRuns } = await import('../../bench/compareBenchRuns.js');
      const { formatBenchComparison } = await import('../../bench/formatBenchComparison.js');
      const store = await openBenchStore(flags.dataDir);
      try {
        const [recordsA, recordsB] = [store.getRun(a), store.getRun(b)];
        const missing = [a, b].filter((id, index) => [recordsA, recordsB][index]!.length === 0);
        if (missing.length > 0) {
          throw new CliUsageError({ message: `No stored benchmark run ${missing.join(' or ')}.`, hint: 'nightshift bench list shows the stored runs and their ids.', context: { missing } });
        }
        const rows = compareBenchRuns({ a: recordsA, b: recordsB });
        process.stdout.write(flags.json ? `${JSON.stringify({ a, b, rows }, null, 2)}\n` : formatBenchComparison({ runA: a, runB: b, rows }));
      } finally {
        store.dispose();
      }
    });
}

interface BenchRunFlags {
  levels?: string;
  levelsDir?: string;
  models: string;
  rails: 'on' | 'off' | 'both';
  repeat: number;
  sandbox?: 'auto' | 'docker' | 'native' | 'local';
  allowUnsandboxed?: boolean;
  json?: boolean;
  dataDir?: string;
}

async function openBenchStore(dir: string | undefined) {
  const { resolveDataDir } = await import('../../engine/store/resolveDataDir.js');
  const { openDataDir } = await import('../../engine/store/openDataDir.js');
  const { createBenchRunStore } = await import('../../bench/createBenchRunStore.js');
  return createBenchRunStore({ dbPath: openDataDir({ dir: resolveDataDir(dir ? { explicit: dir } : {}) }).dbPath });
}

/** The levels `--levels` names (default: those not marked slow; `all`: every one), refusing an unknown id. */
function pickLevels<T extends { level: { id: string; slow: boolean } }>(options: { available: T[]; wanted: string | undefined }): T[] {
  const { available, wanted } = options;
  const ids = available.map((level) => level.level.id);
  if (wanted === undefined) return available.filter((level) => !level.level.slow);
  if (wanted.trim() === 'all') return available;
  const names = wanted.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !ids.includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new CliUsageError({
      message: names.length === 0 ? '--levels names no level.' : `No benchmark level ${unknown.join(', ')}.`,
      hint: `Levels here: ${ids.join(', ') || 'none'}; or --levels all.`,
      context: { unknown },
    });
  }
  return available.filter((level) => names.includes(level.level.id));
}
