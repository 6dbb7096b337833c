/*
 * `npm run bench:cli`: how long the `nightshift` command takes to answer, measured as a user runs it (the
 * bin npm installs, bin/nightshift.mjs, which loads the compiled CLI in out/cli), all figures from one run:
 *   - `--help`, `--version`, and `status` against a temporary data directory seeded with a few sessions
 *     (test/utils/seedStore.ts), each the median wall time of several runs after one warm-up;
 *   - baselines from the same run: a bare `node -e ""` start, and the CLI run from its TypeScript sources
 *     through tsx, as it ran before it was compiled (fewer runs: seconds each).
 * Prints a table with each median's ratio to the bare start and to the tsx path, and one line per target:
 * `--help` under 1 s, `status` under 1.5 s (MET / NOT MET). It builds out/cli first when a source changed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteStore } from '../../src/engine/store/createSqliteStore.js';
import { seedStore } from '../../test/utils/seedStore.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'nightshift.mjs');
const MEASURED_RUNS = 10;
const TSX_RUNS = 3;
const SEEDED_SESSIONS = 5;
const TARGETS: Record<string, number> = { '--help': 1000, status: 1500 };

interface Row {
  what: string;
  medianMs: number;
  runs: number;
}

const build = spawnSync(process.execPath, [join(ROOT, 'build', 'scripts', 'buildCli.mjs'), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('building the CLI failed; see above');

const dataDir = mkdtempSync(join(tmpdir(), 'nightshift-cli-bench-'));
const rows: Row[] = [];
try {
  const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
  for (let index = 0; index < SEEDED_SESSIONS; index++) {
    seedStore({ store, sessionId: `bench-${index}`, startedAt: 1_700_000_000_000 + index * 3_600_000, taskIds: ['T1', 'T2', 'T3'] });
  }
  store.dispose();

  const commands: Array<[string, string[]]> = [
    ['--help', ['--help']],
    ['--version', ['--version']],
    ['status', ['status', '--data-dir', dataDir]],
  ];
  rows.push({ what: 'node -e ""', medianMs: measure([process.execPath, '-e', ''], MEASURED_RUNS), runs: MEASURED_RUNS });
  for (const [name, args] of commands) {
    rows.push({ what: `compiled ${name}`, medianMs: measure([process.execPath, BIN, ...args], MEASURED_RUNS), runs: MEASURED_RUNS });
  }
  // The pre-build launcher: tsx's loader, then main.ts from source. Under -e, argv has no script path.
  const fromSource = "const { main } = await import('./src/cli/main.ts'); process.exitCode = await main([process.argv[0], 'nightshift', ...process.argv.slice(1)]);";
  for (const [name, args] of commands) {
    rows.push({ what: `tsx ${name}`, medianMs: measure([process.execPath, '--import', 'tsx', '--input-type=module', '-e', fromSource, '--', ...args], TSX_RUNS), runs: TSX_RUNS });
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
printTable();

/** Median wall time of `runs` runs after one warm-up; throws when the command fails. */
function measure(argv: string[], runs: number): number {
  const [command, ...args] = argv as [string, ...string[]];
  const times: number[] = [];
  for (let index = 0; index <= runs; index++) {
    const started = performance.now();
    const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`\`${argv.join(' ')}\` exited ${result.status}:\n${result.stdout}${result.stderr}`);
    if (index > 0) times.push(elapsed);
  }
  return median(times);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function printTable(): void {
  const bare = rows.find((row) => row.what === 'node -e ""')!.medianMs;
  const width = Math.max(...rows.map((row) => row.what.length));
  process.stdout.write(`\nCLI bench: wall time per call (medians after one warm-up; ${SEEDED_SESSIONS} seeded sessions for status)\n`);
  process.stdout.write(`  ${'command'.padEnd(width)}  ${'median'.padStart(8)}  ${'x node'.padStart(7)}  ${'x tsx'.padStart(6)}  runs\n`);
  for (const row of rows) {
    const name = row.what.replace(/^(compiled|tsx) /, '');
    const tsx = row.what.startsWith('compiled ') ? rows.find((other) => other.what === `tsx ${name}`) : undefined;
    process.stdout.write(
      `  ${row.what.padEnd(width)}  ${`${row.medianMs.toFixed(0)} ms`.padStart(8)}  ${(row.medianMs / bare).toFixed(2).padStart(7)}  ${(tsx ? (row.medianMs / tsx.medianMs).toFixed(2) : '-').padStart(6)}  ${row.runs}\n`,
    );
  }
  for (const [name, limitMs] of Object.entries(TARGETS)) {
    const row = rows.find((candidate) => candidate.what === `compiled ${name}`)!;
    process.stdout.write(`compiled ${name} = ${row.medianMs.toFixed(0)} ms (target < ${limitMs} ms): ${row.medianMs < limitMs ? 'MET' : 'NOT MET'}\n`);
  }
}
